using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// y = x Wᵀ + b. Unlike torch.nn.Linear its weight starts empty (no random initialisation): a checkpoint fills it,
/// which saves minutes on a 7-billion-parameter model.
/// </summary>
internal sealed class Linear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (out, in)
    private readonly Parameter? bias;  // (out)

    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        weight = new Parameter(WeightLayout.Empty(outFeatures, inFeatures, dtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(empty([outFeatures], dtype, device), requires_grad: false) : null;
        RegisterComponents();
    }

    /// <summary>A layer whose weight (out, in) and bias are given, e.g. blocks of a wider matrix (<see cref="SharedInput"/>).</summary>
    public Linear(Tensor weight, Tensor? bias) : base(nameof(Linear))
    {
        this.weight = new Parameter(weight, requires_grad: false);
        this.bias = bias is null ? null : new Parameter(bias, requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => MatrixVector.Linear(x, weight, bias);
}
