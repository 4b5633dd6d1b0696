using TorchSharp;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Rotary position embeddings (RoFormer; Llama, Mistral, Qwen2): each pair of a query's or key's dimensions is
/// rotated by an angle that grows with the token's position, so attention scores depend on relative distance.
/// Hugging Face checkpoints pair dimension i with i + d/2 ("rotate half"), which is the layout used here.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequency; // (head_dim / 2), float32
    private readonly Scalar _positionScale; // held: see Scalars
    private readonly object _tableLock = new();
    private (Tensor Cos, Tensor Sin)? _table; // (positions, head_dim) in one dtype; sin signed for Apply

    public RotaryEmbedding(int headDim, double theta, RopeScaling? scaling, Device device)
    {
        // θ_i = base^(−2i/d): the first pairs turn fast, the last ones slowly.
        var frequencies = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        var positionScale = 1.0;
        switch (scaling?.Type)
        {
            case null or "default":
                break;
            case "linear": // positions squeezed by the factor: a longer context in the same angles
                positionScale = 1 / scaling.Factor;
                break;
            case "llama3":
                frequencies = Llama3Frequencies(frequencies, scaling);
                break;
            default:
                throw new WalkthroughException(
                    $"config.json: \"rope_scaling\" asks for \"{scaling.Type}\" rotary scaling, which Walkthrough does not run (supported: default, linear, llama3): use a model without it.");
        }
        _inverseFrequency = tensor(frequencies.Select(f => (float)f).ToArray(), float32, device);
        _positionScale = positionScale;
    }

    /// <summary>
    /// The cos and sin for positions [start, start + length): each (length, head_dim), in the given dtype, the first half
    /// of sin negated as <see cref="Apply"/> wants it.
    /// </summary>
    public (Tensor Cos, Tensor Sin) For(long start, long length, ScalarType dtype)
    {
        lock (_tableLock)
        {
            if (_table is not { } table || table.Cos.dtype != dtype || table.Cos.shape[0] < start + length)
            {
                var positions = Math.Max(start + length, 2 * (_table?.Cos.shape[0] ?? 0));
                _table?.Cos.Dispose();
                _table?.Sin.Dispose();
                _table = table = Table(positions, dtype);
            }
            return (table.Cos.narrow(0, start, length), table.Sin.narrow(0, start, length));
        }
    }

    // Every position's cos and sin up to `positions`, computed once and sliced by each forward pass (a decode step
    // would otherwise spend 8 operations rebuilding one row); the table doubles when a text outgrows it.
    private (Tensor Cos, Tensor Sin) Table(long positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var steps = Scalars.Arange(0, positions, float32, _inverseFrequency.device).mul(_positionScale);
        var angles = outer(steps, _inverseFrequency);             // (T, d/2)
        var doubled = cat([angles, angles], dim: -1);             // (T, d)
        var sin = doubled.sin();
        sin.narrow(-1, 0, angles.size(-1)).neg_();                // (−sin ‖ sin): rotate_half's sign, see Apply
        return (doubled.cos().to(dtype).DetachFromDisposeScope(), sin.to(dtype).DetachFromDisposeScope());
    }

    /// <summary>
    /// x·cos + rotate_half(x)·sin, for x of shape (B, heads, T, head_dim), where rotate_half(x₁ ‖ x₂) = (−x₂ ‖ x₁): the
    /// halves swapped, the first negated. The swap is roll(x, d/2) and the sign is already in <see cref="For"/>'s sin
    /// (−sin ‖ sin): the same products, 4 operations where building rotate_half took 7 (twice a layer each decode step).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        if (OneToken.AppliesToHeads(x) && cos.is_contiguous()) return OneToken.Rotary(x, cos, signedSin); // a decode step's token
        using var scope = NewDisposeScope();
        return (x * cos).add_(x.roll(x.size(-1) / 2, -1) * signedSin, Scalars.One).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _inverseFrequency.Dispose();
        _positionScale.Dispose();
        _table?.Cos.Dispose();
        _table?.Sin.Dispose();
    }

    // Llama 3.1: long wavelengths are slowed by the factor, short ones kept, the band between blended smoothly.
    private static double[] Llama3Frequencies(double[] frequencies, RopeScaling scaling)
    {
        var factor = scaling.Factor;
        var low = scaling.Parameters.GetValueOrDefault("low_freq_factor", 1);
        var high = scaling.Parameters.GetValueOrDefault("high_freq_factor", 4);
        var original = scaling.Parameters.GetValueOrDefault("original_max_position_embeddings", 8192);
        var lowWavelength = original / low;
        var highWavelength = original / high;
        return frequencies.Select(f =>
        {
            var wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength) return f;
            if (wavelength > lowWavelength) return f / factor;
            var smooth = (original / wavelength - low) / (high - low);
            return (1 - smooth) * f / factor + smooth * f;
        }).ToArray();
    }
}
