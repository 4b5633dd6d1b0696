using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Root-mean-square normalisation (Llama, Mistral, Qwen2): x / sqrt(mean(x²) + ε) · weight, computed in float32
/// whatever the model's dtype, as the reference implementation does.
/// </summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (hidden)
    private readonly Scalar _epsilon; // held: see Scalars
    private readonly float _epsilonValue;

    public RmsNorm(long hidden, double epsilon, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones([hidden], dtype, device), requires_grad: false);
        (_epsilon, _epsilonValue) = (epsilon, (float)epsilon);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (OneToken.Applies(x) && weight.dtype == x.dtype) return OneToken.RmsNorm(x, weight, _epsilonValue); // a decode step's token
        using var scope = NewDisposeScope();
        var dtype = x.dtype;
        var x32 = dtype == float32 ? x : x.to(float32);
        var normalized = x32 * x32.pow(Scalars.Two).mean([-1], keepdim: true).add_(_epsilon, Scalars.One).rsqrt_(); // in place: its own temporaries
        return (dtype == float32 ? normalized : normalized.to(dtype)).mul_(weight).MoveToOuterDisposeScope();
    }
}
