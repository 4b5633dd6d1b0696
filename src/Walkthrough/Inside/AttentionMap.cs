using System.Text;
using Walkthrough.Display;
using Walkthrough.Tokens;

namespace Walkthrough.Inside;

/// <summary>
/// Where one attention head looks: row q holds how much the token at position q takes from each key position
/// (softmax(q·kᵀ/√d + mask), rows sum to 1). <see cref="Allowed"/> is the mask the model applies — the causal
/// triangle, and Mistral's sliding window — so a picture can grey out what the head may not see at all.
/// </summary>
/// <param name="KeyValueHead">The key/value head this query head reads (grouped-query attention); equal to Head without grouping.</param>
/// <param name="Grouped">Whether several query heads share each key/value head (Mistral, Llama 3, Qwen2).</param>
/// <param name="Weights">Queries × keys, float32.</param>
/// <param name="Allowed">Queries × keys: true where the query may look at the key.</param>
public sealed record AttentionMap(int Layer, int Head, int KeyValueHead, bool Grouped, IReadOnlyList<Token> Tokens, float[][] Weights, bool[][] Allowed)
{
    /// <summary>Row labels: the token at each query position.</summary>
    public IReadOnlyList<string> Queries => Tokens.Select(t => t.Text).ToList();

    /// <summary>Column labels: the token at each key position.</summary>
    public IReadOnlyList<string> Keys => Tokens.Select(t => t.Text).ToList();

    /// <summary>The key position a query takes most from, and how much.</summary>
    public (int Key, float Weight) Strongest(int query)
    {
        var row = Weights[query];
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return (best, row[best]);
    }

    internal static AttentionMap From(int layer, int head, int groupSize, IReadOnlyList<Token> tokens, float[][] weights, int? window)
    {
        var allowed = Enumerable.Range(0, weights.Length)
            .Select(q => Enumerable.Range(0, weights[q].Length).Select(k => k <= q && (window is not { } w || q - k < w)).ToArray()).ToArray();
        return new AttentionMap(layer, head, head / groupSize, groupSize > 1, tokens, weights, allowed);
    }

    private string Shares => Grouped ? $" (reads key/value head {KeyValueHead})" : "";

    public override string ToString()
    {
        var cells = Weights.Select((row, q) => row.Select((p, k) => Allowed[q][k] ? p.ToString("0.00") : "·").ToArray()).ToArray();
        return $"layer {Layer}, head {Head}{Shares}\nhow much each row's token takes from each column's (rows sum to 1; · = masked)\n" +
            TextGrid.Render("query \\ key", Queries, Keys, cells);
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">" +
            $"Layer {Layer}, head {Head}{Shares}: each row is a token, each column a token it may look at</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">query \\ key</th>");
        foreach (var key in Keys) html.Append($"<th style=\"{Html.CellStyle}\">{Html.Encode(key)}</th>");
        html.Append("</tr>");
        for (var q = 0; q < Weights.Length; q++)
        {
            html.Append($"<tr><th style=\"{Html.CellStyle}\">{Html.Encode(Queries[q])}</th>");
            for (var k = 0; k < Weights[q].Length; k++)
                html.Append(Allowed[q][k]
                    ? $"<td title=\"{Html.Encode(Queries[q])} → {Html.Encode(Keys[k])}\" style=\"{Html.CellStyle};{Heat.Style(Weights[q][k])}\">{Weights[q][k]:0.00}</td>"
                    : $"<td style=\"{Html.CellStyle};{Heat.Hidden}\">·</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }
}
