namespace Walkthrough.Inference;

/// <summary>How <c>Generate</c> runs: how long, how tokens are chosen, and where to stop.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 200;

    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>Wraps the prompt first; its own stop strings are added to <see cref="StopStrings"/>.</summary>
    public PromptTemplate Template { get; init; } = PromptTemplate.None;

    /// <summary>The answer is cut before the first of these and generation stops there.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Stop at the model's end-of-sequence token (from its config).</summary>
    public bool StopAtEos { get; init; } = true;

    public bool UseCache { get; init; } = true;

    /// <summary>When the prompt is longer than the context, keep its end instead of failing.</summary>
    public bool TruncateFromLeft { get; init; }

    internal GenerationOptions Validated()
    {
        if (MaxNewTokens < 1) throw new WalkthroughException($"max new tokens is {MaxNewTokens}: ask for at least 1.");
        Sampling.Validated();
        return this;
    }
}

/// <summary>Why generation ended.</summary>
public enum StopReason
{
    EndOfSequence,
    StopString,
    MaxNewTokens,
    ContextFull,
}

/// <summary>What <c>Generate</c> returns: only the new text, cut at the first stop string, and how it ended.</summary>
public sealed record GenerationResult(
    string Prompt,
    string Text,
    IReadOnlyList<int> NewIds,
    StopReason StopReason,
    string? StopString,
    int PromptTokens,
    TimeSpan Elapsed)
{
    public override string ToString() => Text;
}
