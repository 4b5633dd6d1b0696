using Walkthrough.Inference;
using Walkthrough.Tokens;

namespace Walkthrough.Cli;

/// <summary>
/// The JSON shapes several commands share (docs/json.md): a token as piece, text and kind; a sampling rule; figures
/// rounded to what they can mean — probabilities to 4 significant digits, logits to 3 decimals, seconds to the millisecond.
/// </summary>
internal static class JsonShapes
{
    /// <summary>A token of the vocabulary: its id, the piece as the vocabulary spells it, the text it stands for, and its kind.</summary>
    public static Dictionary<string, object?> Token(Tokenizer tokenizer, int id)
    {
        var kind = tokenizer.Describe(id).Kind;
        return new()
        {
            ["id"] = id,
            ["piece"] = tokenizer.PieceOf(id),
            ["text"] = kind == TokenKind.Special ? "" : System.Text.Encoding.UTF8.GetString(tokenizer.BytesOf(id)),
            ["kind"] = kind,
        };
    }

    /// <summary>The same dictionary with one more key, for a token that carries a figure (a probability, a cosine).</summary>
    public static Dictionary<string, object?> With(this Dictionary<string, object?> row, string key, object? value)
    {
        row[key] = value;
        return row;
    }

    public static object Sampling(SamplingOptions options) => new
    {
        mode = options.IsGreedy ? "greedy" : "sampled",
        temperature = options.Temperature,
        top_k = options.TopK,
        top_p = options.TopP,
        min_p = options.MinP,
        repetition_penalty = options.RepetitionPenalty,
        seed = options.Seed,
    };

    public static Dictionary<string, object?> Candidate(Tokenizer tokenizer, Candidate candidate)
    {
        var row = Token(tokenizer, candidate.Id);
        row["rank"] = candidate.Rank;
        row["logit"] = Logit(candidate.Logit);
        row["probability"] = Probability(candidate.Probability);
        row["cumulative_probability"] = Probability(candidate.CumulativeProbability);
        row["kept"] = candidate.Kept;
        row["cut_by"] = candidate.CutBy;
        return row;
    }

    /// <summary>4 significant digits: 0.9977, 0.0006654, 1.234e-9 — small probabilities keep their size.</summary>
    public static double Probability(double p) => p == 0 ? 0 : double.Parse(p.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    public static double Logit(float logit) => Math.Round(logit, 3);

    public static double Seconds(TimeSpan elapsed) => Math.Round(elapsed.TotalSeconds, 3);
}
