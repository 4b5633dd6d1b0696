namespace Walkthrough.Fuzz;

/// <summary>What a folder gave when everything loaded: the numbers a case is compared on with the pristine folder.</summary>
internal sealed record Observation(
    long? Parameters,
    IReadOnlyList<int[]> Ids,
    IReadOnlyList<string> Decoded,
    float[] Logits,
    int[] Chosen,
    string? Tree)
{
    /// <summary>Every logit and probability a learner could be shown is a number.</summary>
    public bool Finite { get; init; } = true;

    /// <summary>The plan's counts are positive (no overflow).</summary>
    public bool PlanSane { get; init; } = true;

    /// <summary>Where this differs from <paramref name="reference"/>, or null when it does not.</summary>
    public string? DifferenceFrom(Observation reference)
    {
        if (Parameters != reference.Parameters) return $"the plan counts {Parameters:N0} parameters, not {reference.Parameters:N0}";
        for (var i = 0; i < Math.Min(Ids.Count, reference.Ids.Count); i++)
        {
            if (!Ids[i].SequenceEqual(reference.Ids[i])) return $"probe {i} encodes as [{string.Join(",", Ids[i].Take(12))}], not [{string.Join(",", reference.Ids[i].Take(12))}]";
            if (Decoded[i] != reference.Decoded[i]) return $"probe {i} decodes as \"{Decoded[i]}\", not \"{reference.Decoded[i]}\"";
        }
        if (Logits.Length != reference.Logits.Length) return $"{Logits.Length} logits, not {reference.Logits.Length}";
        var worst = 0.0;
        for (var i = 0; i < Logits.Length; i++) worst = Math.Max(worst, Math.Abs(Logits[i] - reference.Logits[i]));
        if (worst > 1e-4) return $"logits differ by up to {worst:G3}";
        if (!Chosen.SequenceEqual(reference.Chosen)) return $"chose [{string.Join(",", Chosen)}], not [{string.Join(",", reference.Chosen)}]";
        if (Tree != reference.Tree) return "the module tree differs";
        return null;
    }
}
