using System.Text;
using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>
/// Several tokenizers on one text: how many tokens each needs, and where they cut the text differently.
/// <code>TokenizerComparison.Of(prompt, mistral, Tokenizer.Load("o200k_base"))</code>
/// </summary>
public sealed class TokenizerComparison
{
    private TokenizerComparison(string text, IReadOnlyList<TokenTable> tables)
    {
        Text = text;
        Tables = tables;
        var cuts = tables.Select(Cuts).ToList();
        var all = cuts.SelectMany(c => c).ToHashSet();
        DifferentCuts = all.Where(position => cuts.Any(c => !c.Contains(position))).Order().ToList();
    }

    public string Text { get; }

    public IReadOnlyList<TokenTable> Tables { get; }

    /// <summary>Character positions where at least one tokenizer starts a new token and another does not.</summary>
    public IReadOnlyList<int> DifferentCuts { get; }

    /// <summary>Which tokenizer needs the fewest tokens, in words: "Both need 12 tokens." or "o200k_base needs the fewest: 15 tokens, against 23 (mistral-7b)."</summary>
    public string Verdict
    {
        get
        {
            var fewest = Tables.MinBy(t => t.Count)!;
            var others = Tables.Where(t => t != fewest).ToList();
            if (others.All(t => t.Count == fewest.Count))
                return $"{(Tables.Count == 2 ? "Both" : "All")} need {fewest.Count} tokens.";
            return $"{fewest.TokenizerName} needs the fewest: {fewest.Count} tokens, against " +
                   string.Join(", ", others.Select(t => $"{t.Count} ({t.TokenizerName})")) + ".";
        }
    }

    public static TokenizerComparison Of(string text, params Tokenizer[] tokenizers)
    {
        if (tokenizers.Length < 2) throw new WalkthroughException("A comparison needs at least two tokenizers.");
        // Special tokens are left out: they are conventions of a model, not cuts of the text.
        return new TokenizerComparison(text, tokenizers.Select(t => t.Tokenize(text, addSpecialTokens: false)).ToList());
    }

    public Figure Chart() => TokenCharts.TokenCounts(Tables);

    public string ToHtml()
    {
        var html = new StringBuilder($"<div><table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "tokenizer", "tokens", "characters per token", "tokens on the text" })
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var table in Tables)
        {
            html.Append("<tr>")
                .Append($"<td style=\"{Html.CellStyle}\"><b>{Html.Encode(table.TokenizerName)}</b></td>")
                .Append($"<td style=\"{Html.CellStyle}\">{table.Count}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{table.CharactersPerToken:0.00}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{table.Chips().ToHtml()}</td>")
                .Append("</tr>");
        }
        html.Append($"</tbody></table><p style=\"margin:4px 0\">{Html.Encode(Verdict)} They cut the text differently at {DifferentCuts.Count} of its {new System.Globalization.StringInfo(Text).LengthInTextElements} characters.</p></div>");
        return html.ToString();
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var table in Tables)
            builder.AppendLine($"{table.TokenizerName,-16} {table.Count,5} tokens  {table.CharactersPerToken,5:0.00} chars/token  {table.Chips()}");
        builder.AppendLine(Verdict);
        builder.AppendLine($"Different cuts at {DifferentCuts.Count} of {new System.Globalization.StringInfo(Text).LengthInTextElements} characters.");
        return builder.ToString();
    }

    // Where each token of the text begins (bytes of one character share a start, so they count once).
    private static HashSet<int> Cuts(TokenTable table) =>
        table.Where(t => t.End > t.Start && t.Start > 0).Select(t => t.Start).ToHashSet();
}
