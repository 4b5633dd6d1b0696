namespace Walkthrough.Inference;

/// <summary>One row of a step's top-k table: a token the model considered, its raw score and its probability.</summary>
/// <param name="Probability">After temperature, before any top-k/top-p/min-p cut.</param>
/// <param name="CumulativeProbability">This token's probability plus those of every better-ranked token.</param>
public sealed record Candidate(int Rank, int Id, string Text, float Logit, double Probability, double CumulativeProbability);
