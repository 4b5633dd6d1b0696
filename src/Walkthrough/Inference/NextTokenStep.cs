using System.Diagnostics.CodeAnalysis;

namespace Walkthrough.Inference;

/// <summary>
/// One step of next-token prediction: the candidates the model weighed, the token that was chosen and the rule
/// that chose it. In a notebook it shows itself as a table with a bar for each candidate's probability.
/// </summary>
public sealed record NextTokenStep
{
    /// <summary>0 for the first generated token.</summary>
    public required int Step { get; init; }

    /// <summary>How many tokens the model had read when it made this prediction (prompt + earlier steps).</summary>
    public required int Position { get; init; }

    /// <summary>The best candidates by probability, most likely first.</summary>
    public required IReadOnlyList<Candidate> Candidates { get; init; }

    /// <summary>The token that was appended: the top candidate under greedy decoding, else the draw's (or the forced) token.</summary>
    public required Candidate Chosen { get; init; }

    /// <summary>Why this token: "greedy: the most likely token", "sampled ...", "forced by you".</summary>
    public required string Rule { get; init; }

    /// <summary>The settings the rule ran with: temperature, top-k, top-p, min-p, repetition penalty, seed.</summary>
    public required SamplingOptions Sampling { get; init; }

    /// <summary>Whether the step was forced (<see cref="NextTokenSession.Force(int)"/>) rather than chosen by the rule.</summary>
    public bool Forced { get; init; }

    /// <summary>
    /// Whether the chosen token is the model's end-of-text token (&lt;/s&gt;): the model says the text is finished.
    /// Generation stops here; a session goes on only if you force a token.
    /// </summary>
    public bool EndsText { get; init; }

    /// <summary>The time of the model's forward pass that gave this step's logits (with the cache, step 0's is the prompt's); zero after Undo, which keeps them.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Uncertainty of the distribution in bits: 0 = sure, higher = more spread out.</summary>
    public required double Entropy { get; init; }

    /// <summary>Every logit of the vocabulary (the raw scores before softmax).</summary>
    public required float[] Logits { get; init; }

    /// <summary>Every probability after temperature (before cutting); when given none, the step works them out from the logits the first time they are read.</summary>
    [AllowNull]
    public double[] Probabilities
    {
        get => _probabilities ??= Inference.Sampling.SoftmaxAndEntropy(PenalizedLogits ?? Logits, Sampling.SoftmaxTemperature).Probabilities;
        init => _probabilities = value;
    }

    private double[]? _probabilities;

    /// <summary>The scores the softmax ran over: the logits after the repetition penalty (<see cref="Logits"/> itself without one; null: the same).</summary>
    internal float[]? PenalizedLogits { get; init; }

    /// <summary>Whether the keys and values of earlier tokens were reused (KV cache) or recomputed.</summary>
    public required bool UsedCache { get; init; }

    /// <summary>Tokens the model computed for this step: 1 with the cache (step 0: the prompt), the whole text without it, 0 after Undo.</summary>
    public required int TokensComputed { get; init; }

    /// <summary>The candidates as bars, the chosen one highlighted.</summary>
    public Display.Figure Chart() => Display.StepCharts.TopK(this);

    /// <summary>What the chosen token means when it is the end of the text ("" otherwise).</summary>
    public string EndNote => EndsText ? $"{Chosen.Text} is the end-of-text token: the model says the text is finished." : "";

    public override string ToString() =>
        $"step {Step}: chose {Chosen.Text} (id {Chosen.Id}, p = {Chosen.Probability:0.000}) — {Rule}\n" +
        (EndsText ? $"  {EndNote}\n" : "") +
        string.Join("\n", Candidates.Select(c => $"  {c.Rank,3}. {c.Text,-16} id {c.Id,6}  logit {c.Logit,8:0.00}  p {c.Probability,6:0.000}  cum {c.CumulativeProbability,6:0.000}" +
            (c.CutBy is { } cut ? $"  cut by {cut.Name()}" : "")));
}
