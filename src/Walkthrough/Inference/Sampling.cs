using System.Buffers;
using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Walkthrough.Inference;

/// <summary>
/// The rules that turn a vector of logits into one token — each a small function you can read and test alone
/// (llama2.c's layout). Logits and probabilities are float64 vectors on the CPU: one per vocabulary entry.
/// </summary>
public static class Sampling
{
    /// <summary>Softmax: e^(z/T) normalised to sum to 1. T = 1 gives the model's own distribution.</summary>
    public static double[] Softmax(IReadOnlyList<float> logits, double temperature = 1) => SoftmaxAndEntropy(logits, temperature).Probabilities;

    /// <summary>
    /// The softmax and its entropy in bits, from one pass of shifted logits. A step's bookkeeping runs over the whole
    /// vocabulary, so it is made fast here: the arithmetic is vectorised, and the entropy comes from the shifted
    /// logits s = (z − max)/T already at hand: log p = s − ln Σe^s, so H = ln Σe^s − Σ p·s (nats) — a dot product
    /// instead of a logarithm per token (softmax + entropy 12–20 % faster).
    /// </summary>
    internal static (double[] Probabilities, double Entropy) SoftmaxAndEntropy(IReadOnlyList<float> logits, double temperature)
    {
        var p = new double[logits.Count];
        var entropy = SoftmaxAndEntropy(logits as float[] ?? [.. logits], temperature, p);
        return (p, entropy);
    }

    /// <summary>The softmax of <paramref name="logits"/> written into <paramref name="p"/>; returns the entropy in bits.</summary>
    internal static double SoftmaxAndEntropy(ReadOnlySpan<float> logits, double temperature, Span<double> p)
    {
        var t = temperature <= 0 ? 1 : temperature;
        var s = ArrayPool<double>.Shared.Rent(p.Length);
        try
        {
            var shifted = s.AsSpan(0, p.Length);
            TensorPrimitives.ConvertChecked(logits, shifted); // float → double is exact
            TensorPrimitives.Subtract(shifted, TensorPrimitives.Max<double>(shifted), shifted); // shift by the max: no overflow, same result
            if (t != 1) TensorPrimitives.Divide(shifted, t, shifted);
            TensorPrimitives.Exp<double>(shifted, p);
            var sum = TensorPrimitives.Sum<double>(p);
            TensorPrimitives.Divide(p, sum, p);
            var entropy = (Math.Log(sum) - TensorPrimitives.Dot<double>(p, shifted)) / Math.Log(2);
            // A logit of −∞ gives 0 · −∞ in the dot product; the plain sum over p skips such zeros.
            return double.IsFinite(entropy) ? Math.Max(0, entropy) : Entropy(p.ToArray());
        }
        finally
        {
            ArrayPool<double>.Shared.Return(s);
        }
    }

    /// <summary>CTRL's penalty: a seen token's positive logit is divided by the penalty, a negative one multiplied.</summary>
    public static float[] PenalizeRepetition(IReadOnlyList<float> logits, IEnumerable<int> seen, double penalty)
    {
        var result = new float[logits.Count];
        if (logits is float[] array) array.CopyTo(result, 0);
        else for (var i = 0; i < result.Length; i++) result[i] = logits[i];
        if (penalty == 1) return result;
        foreach (var id in seen.Distinct())
            result[id] = result[id] > 0 ? (float)(result[id] / penalty) : (float)(result[id] * penalty);
        return result;
    }

    /// <summary>Zeroes every probability outside the k largest (ties at the k-th value are kept).</summary>
    public static double[] TopK(double[] probabilities, int k)
    {
        if (k <= 0 || k >= probabilities.Length) return probabilities;
        var threshold = probabilities[Largest(probabilities, k)[^1]];
        return probabilities.Select(p => p >= threshold ? p : 0).ToArray();
    }

    /// <summary>Nucleus sampling: keeps the most likely tokens until their total reaches p; always keeps the first.</summary>
    public static double[] TopP(double[] probabilities, double p)
    {
        if (p >= 1) return probabilities;
        var keep = new bool[probabilities.Length];
        var total = 0.0;
        foreach (var i in Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]))
        {
            keep[i] = true;
            total += probabilities[i];
            if (total >= p) break;
        }
        return probabilities.Select((q, i) => keep[i] ? q : 0).ToArray();
    }

    /// <summary>Keeps tokens at least <paramref name="minP"/> × the top probability.</summary>
    public static double[] MinP(double[] probabilities, double minP)
    {
        if (minP <= 0) return probabilities;
        var cut = probabilities.Max() * minP;
        return probabilities.Select(p => p >= cut ? p : 0).ToArray();
    }

    /// <summary>
    /// Top-k, then top-p on what top-k kept, then min-p: the probabilities left (not yet renormalised) and, for each
    /// token, the rule that cut it (null: still in the draw).
    /// </summary>
    public static (double[] Kept, SamplingCut?[] CutBy) Cut(double[] probabilities, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(options);
        var cutBy = new SamplingCut?[probabilities.Length];
        var afterK = TopK(probabilities, options.TopK);
        var afterP = TopP(afterK, options.TopP);
        var kept = MinP(afterP, options.MinP);
        if (ReferenceEquals(kept, probabilities)) return (kept, cutBy); // no rule set
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (kept[i] > 0 || probabilities[i] == 0) continue;
            cutBy[i] = afterK[i] == 0 ? SamplingCut.TopK : afterP[i] == 0 ? SamplingCut.TopP : SamplingCut.MinP;
        }
        return (kept, cutBy);
    }

    /// <summary>Scales what is left back to a total of 1.</summary>
    public static double[] Renormalize(double[] probabilities)
    {
        var sum = probabilities.Sum();
        return probabilities.Select(p => p / sum).ToArray();
    }

    /// <summary>
    /// The indices of the count largest values, largest first (the lower index first on a tie). One pass over the
    /// vocabulary with a short sorted list: sorting all 32,000 tokens to show ten cost more than the model's step.
    /// </summary>
    public static int[] Largest(IReadOnlyList<double> values, int count) =>
        count <= 0 ? [] : Largest((values as double[] ?? [.. values]).AsSpan(), count);

    // One pass, a vector of values at a time: once the list is full almost every vector lies wholly below its smallest
    // value and is passed over in one comparison (32,000 probabilities: ~80 → ~10 µs).
    internal static int[] Largest(ReadOnlySpan<double> values, int count)
    {
        var best = new int[Math.Clamp(count, 0, values.Length)];
        if (best.Length == 0) return best;
        var filled = 0;
        var width = Vector<double>.Count;
        var i = 0;
        for (; i <= values.Length - width; i += width)
        {
            if (filled == best.Length && !Vector.GreaterThanAny(new Vector<double>(values.Slice(i, width)), new Vector<double>(values[best[^1]])))
                continue;
            for (var j = i; j < i + width; j++) Offer(values, best, ref filled, j);
        }
        for (; i < values.Length; i++) Offer(values, best, ref filled, i);
        return best;
    }

    // Puts values[index] in its place in the sorted list when it belongs there (after the equal ones: lower index first).
    private static void Offer(ReadOnlySpan<double> values, int[] best, ref int filled, int index)
    {
        var value = values[index];
        if (filled == best.Length && value <= values[best[^1]]) return;
        var at = filled == best.Length ? best.Length - 1 : filled++; // when full, the last one drops out
        for (; at > 0 && values[best[at - 1]] < value; at--) best[at] = best[at - 1];
        best[at] = index;
    }

    /// <summary>
    /// How many values rank above values[id] — larger, or equal at a lower index — and their sum: the rank and the
    /// cumulative probability of a token outside the top candidates, without sorting the vocabulary.
    /// </summary>
    internal static (int Count, double Sum) Above(ReadOnlySpan<double> values, int id)
    {
        var (before, beforeSum) = AtLeast(values[..id], values[id], orEqual: true);
        var (after, afterSum) = AtLeast(values[(id + 1)..], values[id], orEqual: false);
        return (before + after, beforeSum + afterSum);
    }

    private static (int Count, double Sum) AtLeast(ReadOnlySpan<double> values, double floor, bool orEqual)
    {
        var floors = new Vector<double>(floor);
        var counts = Vector<long>.Zero;
        var sums = Vector<double>.Zero;
        var width = Vector<double>.Count;
        var i = 0;
        for (; i <= values.Length - width; i += width)
        {
            var block = new Vector<double>(values.Slice(i, width));
            var above = orEqual ? Vector.GreaterThanOrEqual(block, floors) : Vector.GreaterThan(block, floors); // −1 in each lane above
            counts -= above;
            sums += Vector.ConditionalSelect(above, block, Vector<double>.Zero);
        }
        var (count, sum) = ((int)Vector.Sum(counts), Vector.Sum(sums));
        for (; i < values.Length; i++)
        {
            if (values[i] > floor || (orEqual && values[i] == floor))
            {
                count++;
                sum += values[i];
            }
        }
        return (count, sum);
    }

    /// <summary>The index of the largest value (the lowest index on a tie, as torch.argmax does).</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        if (values is double[] array) return ArgMax(array);
        var best = 0;
        for (var i = 1; i < values.Count; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    internal static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Draws an index with the given probabilities, using one uniform number u in [0, 1).</summary>
    public static int Draw(IReadOnlyList<double> probabilities, double u)
    {
        var total = 0.0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            total += probabilities[i];
            if (u < total && probabilities[i] > 0) return i;
        }
        return ArgMax(probabilities); // rounding left u above the last total
    }

    /// <summary>Shannon entropy in bits: 0 when one token is certain, log2(n) when n tokens are equally likely.</summary>
    public static double Entropy(IReadOnlyList<double> probabilities)
    {
        var p = probabilities as double[] ?? [.. probabilities];
        var log = ArrayPool<double>.Shared.Rent(p.Length);
        try
        {
            var logs = log.AsSpan(0, p.Length);
            TensorPrimitives.Max(p, double.Epsilon, logs); // a zero probability adds 0 · log2(ε) = 0, not 0 · −∞
            TensorPrimitives.Log2<double>(logs, logs);
            return -TensorPrimitives.Dot<double>(p, logs);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(log);
        }
    }

    /// <summary>A tensor's values as a float array, copied as one block of memory.</summary>
    internal static float[] ToArray(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var values = logits.to(float32).cpu().contiguous();
        var result = GC.AllocateUninitializedArray<float>((int)values.NumberOfElements); // overwritten whole: no zeroing
        values.bytes.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }
}
