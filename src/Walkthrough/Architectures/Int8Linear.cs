using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// A Linear layer whose weight is stored in 8 bits: each output row keeps int8 values and one scale,
/// W[o, :] ≈ scale[o] · q[o, :] with scale[o] = max|W[o, :]| / 127. Half the memory of float16 — the counterpart
/// of the seed's load_in_8bit. Since y[o] = scale[o] · (x · q[o, :]), the scale is applied after the matmul.
/// </summary>
internal sealed class Int8Linear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (out, in) int8
    private readonly Parameter scale;  // (out) in the compute dtype
    private readonly Parameter? bias;  // (out)

    public Int8Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType computeDtype, Device device) : base(nameof(Int8Linear))
    {
        weight = new Parameter(empty([outFeatures, inFeatures], int8, device), requires_grad: false);
        scale = new Parameter(empty([outFeatures], computeDtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(empty([outFeatures], computeDtype, device), requires_grad: false) : null;
        RegisterComponents();
    }

    /// <summary>The parameter beside an int8 weight that holds its row scales.</summary>
    public const string ScaleName = "scale";

    private static readonly Scalar Levels = 127.0, MinusLevels = -127.0, Tiny = 1e-8; // held: see Scalars

    /// <summary>Quantizes a full-precision weight (out, in) row by row into an int8 weight and its scales.</summary>
    public static void Quantize(Tensor fullWeight, Tensor int8Weight, Tensor rowScales)
    {
        using var scope = NewDisposeScope();
        var w = fullWeight.to(float32);
        var perRow = w.abs().amax([1], keepdim: true).clamp_min(Tiny).div(Levels); // (out, 1)
        using var noGrad = no_grad();
        int8Weight.copy_((w / perRow).round().clamp(MinusLevels, Levels).to(int8));
        rowScales.copy_(perRow.squeeze(1));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(x, weight.to(x.dtype)) * scale;
        if (bias is not null) y = y.add(bias, Scalars.One);
        return y.MoveToOuterDisposeScope();
    }
}
