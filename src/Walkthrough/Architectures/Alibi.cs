using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Attention with Linear Biases (Press et al. 2022), as MPT builds it: head h adds slope_h × (key position − last
/// position) to its scores, so far-away tokens count less. Slopes are 2^(−8h/n) for n heads (a power of two);
/// other head counts interleave two power-of-two series, exactly as MPT does.
/// </summary>
internal static class Alibi
{
    public static double[] Slopes(int heads, double biasMax)
    {
        var powerOfTwo = 1 << (int)Math.Ceiling(Math.Log2(heads));
        var slopes = Enumerable.Range(1, powerOfTwo).Select(i => 1.0 / Math.Pow(2, i * biasMax / powerOfTwo)).ToArray();
        if (powerOfTwo == heads) return slopes;
        // Odd positions first, then even ones, cut to the head count (MPT's build_mpt_alibi_tensor).
        return slopes.Where((_, i) => i % 2 == 1).Concat(slopes.Where((_, i) => i % 2 == 0)).Take(heads).ToArray();
    }

    /// <summary>The additive (heads, T, past + T) bias: ALiBi's penalty, and −∞ where a query may not look (the future).</summary>
    public static Tensor Bias(Tensor slopes, long queries, long past, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var keys = past + queries;
        var distance = Scalars.Arange(1 - keys, 1, float32, slopes.device);          // (S): key position − last position
        var bias = slopes.view(-1, 1, 1) * distance.view(1, 1, -1);                    // (heads, 1, S)
        var allowed = AttentionMask.Causal(queries, past, window: null, slopes.device); // (T, S)
        var masked = bias.expand(-1, queries, -1).masked_fill(allowed.logical_not().unsqueeze(0), Scalars.MinusInfinity);
        return masked.to(dtype).MoveToOuterDisposeScope();
    }
}
