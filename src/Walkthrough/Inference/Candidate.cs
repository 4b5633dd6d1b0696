namespace Walkthrough.Inference;

/// <summary>The sampling rules that can cut a token from the draw, in the order they apply.</summary>
public enum SamplingCut
{
    TopK,
    TopP,
    MinP,
}

/// <summary>One row of a step's top-k table: a token the model considered, its raw score and its probability.</summary>
/// <param name="Probability">After temperature, before any top-k/top-p/min-p cut.</param>
/// <param name="CumulativeProbability">This token's probability plus those of every better-ranked token.</param>
public sealed record Candidate(int Rank, int Id, string Text, float Logit, double Probability, double CumulativeProbability)
{
    /// <summary>The rule that took this token out of the draw (top-k, top-p or min-p); null when it stayed in.</summary>
    public SamplingCut? CutBy { get; init; }

    public bool Kept => CutBy is null;
}

/// <summary>Names of the cuts as the options and the command line spell them.</summary>
public static class SamplingCuts
{
    public static string Name(this SamplingCut cut) => cut switch
    {
        SamplingCut.TopK => "top-k",
        SamplingCut.TopP => "top-p",
        SamplingCut.MinP => "min-p",
        _ => throw new ArgumentOutOfRangeException(nameof(cut)),
    };
}
