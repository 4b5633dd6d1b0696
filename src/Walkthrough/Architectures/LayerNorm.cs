using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>Layer normalisation (GPT-2, and MPT without its bias): (x − mean) / std · weight + bias.</summary>
internal sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (hidden)
    private readonly Parameter? bias;  // (hidden)
    private readonly double _epsilon;

    public LayerNorm(long hidden, double epsilon, bool hasBias, ScalarType dtype, Device device) : base(nameof(LayerNorm))
    {
        weight = new Parameter(ones([hidden], dtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(zeros([hidden], dtype, device), requires_grad: false) : null;
        _epsilon = epsilon;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.layer_norm(x, [x.shape[^1]], weight, bias, _epsilon);
}
