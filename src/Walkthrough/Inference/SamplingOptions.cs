namespace Walkthrough.Inference;

/// <summary>
/// How the next token is chosen from the model's scores. The defaults choose greedily: always the most likely token.
/// Rules apply in Hugging Face's order: repetition penalty, temperature, then top-k, top-p and min-p cut the
/// candidates, then a seeded draw picks one.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Divides every logit before the softmax: below 1 sharpens, above 1 flattens; 0 means greedy (negative is an error).</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens (0 = no limit).</summary>
    public int TopK { get; init; }

    /// <summary>Keep the fewest most-likely tokens whose probabilities add up to at least p (1 = no limit).</summary>
    public double TopP { get; init; } = 1;

    /// <summary>Keep tokens at least this fraction as likely as the most likely one (0 = no limit).</summary>
    public double MinP { get; init; }

    /// <summary>Above 1 makes tokens already in the text less likely (1 = off), as CTRL and Hugging Face define it.</summary>
    public double RepetitionPenalty { get; init; } = 1;

    /// <summary>The seed of the draw, so a sampled answer can be repeated exactly.</summary>
    public ulong Seed { get; init; } = 42;

    public static readonly SamplingOptions Greedy = new();

    public bool IsGreedy => Temperature <= 0;

    /// <summary>The temperature the step's probabilities are shown at: the model's own (1) when greedy.</summary>
    internal double SoftmaxTemperature => IsGreedy ? 1 : Temperature;

    /// <summary>Whether top-k, top-p or min-p is set: a step then marks what they cut.</summary>
    public bool HasCuts => TopK > 0 || TopP < 1 || MinP > 0;

    /// <summary>Rejects values that have no meaning, naming the value and the valid range.</summary>
    public SamplingOptions Validated()
    {
        if (!double.IsFinite(Temperature)) throw new WalkthroughException($"temperature {Temperature} is not a finite number: use 0 (greedy) or a positive value such as 0.7.");
        if (Temperature < 0) throw new WalkthroughException($"temperature {Temperature} is negative: use 0 for greedy decoding, or a positive value such as 0.7 to sample.");
        if (TopK < 0) throw new WalkthroughException($"top-k {TopK} is negative: use 0 (no limit) or a positive number of tokens.");
        if (!(TopP > 0 && TopP <= 1)) throw new WalkthroughException($"top-p {TopP} is outside (0, 1]: use e.g. 0.9, or 1 for no limit.");
        if (!(MinP >= 0 && MinP < 1)) throw new WalkthroughException($"min-p {MinP} is outside [0, 1): use e.g. 0.05, or 0 for no limit.");
        if (!(RepetitionPenalty > 0) || double.IsInfinity(RepetitionPenalty)) throw new WalkthroughException($"repetition penalty {RepetitionPenalty} must be positive: 1 is off, 1.1–1.3 is typical.");
        return this;
    }

    /// <summary>The rule in words, as a step shows it: "greedy", "sampled at temperature 0.7 from the top 40".</summary>
    public string Describe()
    {
        if (IsGreedy)
        {
            var greedy = RepetitionPenalty == 1 ? "greedy: the most likely token" : $"greedy after a repetition penalty of {RepetitionPenalty:0.##}";
            return HasCuts ? greedy + $" ({Cuts()} would cut the rows marked, but only from a draw: give a temperature to sample)" : greedy;
        }
        var parts = new List<string> { $"sampled (seed {Seed}) at temperature {Temperature:0.##}" };
        if (TopK > 0) parts.Add($"from the top {TopK}");
        if (TopP < 1) parts.Add($"within top-p {TopP:0.##}");
        if (MinP > 0) parts.Add($"above min-p {MinP:0.##}");
        if (RepetitionPenalty != 1) parts.Add($"with a repetition penalty of {RepetitionPenalty:0.##}");
        return string.Join(" ", parts);
    }

    private string Cuts() => string.Join(", ", new[]
    {
        TopK > 0 ? $"top-k {TopK}" : null,
        TopP < 1 ? $"top-p {TopP:0.##}" : null,
        MinP > 0 ? $"min-p {MinP:0.##}" : null,
    }.OfType<string>());
}
