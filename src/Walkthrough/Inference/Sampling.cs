using static TorchSharp.torch;

namespace Walkthrough.Inference;

/// <summary>
/// The rules that turn a vector of logits into one token — each a small function you can read and test alone
/// (llama2.c's layout). Logits and probabilities are float64 vectors on the CPU: one per vocabulary entry.
/// </summary>
public static class Sampling
{
    /// <summary>Softmax: e^(z/T) normalised to sum to 1. T = 1 gives the model's own distribution.</summary>
    public static double[] Softmax(IReadOnlyList<float> logits, double temperature = 1)
    {
        var t = temperature <= 0 ? 1 : temperature;
        var max = logits.Max();
        var exp = logits.Select(z => Math.Exp((z - max) / t)).ToArray(); // shift by the max: no overflow, same result
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>CTRL's penalty: a seen token's positive logit is divided by the penalty, a negative one multiplied.</summary>
    public static float[] PenalizeRepetition(IReadOnlyList<float> logits, IEnumerable<int> seen, double penalty)
    {
        var result = logits.ToArray();
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
    public static int[] Largest(IReadOnlyList<double> values, int count)
    {
        if (count <= 0) return [];
        var best = new List<int>(count + 1);
        for (var i = 0; i < values.Count; i++)
        {
            if (best.Count == count && values[i] <= values[best[^1]]) continue;
            var at = best.Count;
            while (at > 0 && values[best[at - 1]] < values[i]) at--;
            best.Insert(at, i);
            if (best.Count > count) best.RemoveAt(count);
        }
        return [.. best];
    }

    /// <summary>The index of the largest value (the lowest index on a tie, as torch.argmax does).</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++) if (values[i] > values[best]) best = i;
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
    public static double Entropy(IReadOnlyList<double> probabilities) =>
        -probabilities.Where(p => p > 0).Sum(p => p * Math.Log2(p));

    internal static float[] ToArray(Tensor logits) => logits.to(float32).cpu().data<float>().ToArray();
}
