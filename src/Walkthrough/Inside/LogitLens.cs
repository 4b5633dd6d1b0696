using System.Globalization;
using System.Text;
using Walkthrough.Display;
using Walkthrough.Tokens;

namespace Walkthrough.Inside;

/// <summary>A token the lens reads out of one cell, with its probability after the final norm and output head.</summary>
public sealed record LensPrediction(int Id, string Text, double Probability);

/// <summary>One position of one layer: the most likely next tokens, best first.</summary>
public sealed record LensPosition(IReadOnlyList<LensPrediction> Top)
{
    public LensPrediction Best => Top[0];
}

/// <summary>One row of the lens: 0 reads the embeddings, n the residual stream after decoder layer n.</summary>
public sealed record LensLayer(int Layer, IReadOnlyList<LensPosition> Positions)
{
    public string Name => Layer == 0 ? "embeddings" : $"layer {Layer}";
}

/// <summary>
/// What the model would predict if it stopped after each layer: a layers × positions table of the top token and
/// its probability, as ecco draws it. The last row is the model's own prediction; a cell whose token is the
/// prompt's actual next token is marked (✓ in text, a border in HTML), so you can watch the answer form.
/// </summary>
public sealed record LogitLens(string Model, IReadOnlyList<Token> Tokens, IReadOnlyList<LensLayer> Layers)
{
    /// <summary>The last row: the model's own next-token prediction at each position.</summary>
    public LensLayer Final => Layers[^1];

    /// <summary>One column of the lens — <c>lens.At(^1)</c> is how the prediction for the next token forms, layer by layer.</summary>
    public LogitLens At(Index position)
    {
        var p = position.GetOffset(Tokens.Count);
        if (p < 0 || p >= Tokens.Count) throw new WalkthroughException($"There is no position {position}: the prompt has {Tokens.Count} tokens.");
        return new LogitLens(Model, [Tokens[p]], Layers.Select(l => l with { Positions = [l.Positions[p]] }).ToList());
    }

    /// <summary>Layers × positions: the top token's probability (the heatmap's values).</summary>
    public float[][] Probabilities() => Layers.Select(l => l.Positions.Select(p => (float)p.Best.Probability).ToArray()).ToArray();

    /// <summary>Layers × positions: the top token's text (the heatmap's cell labels).</summary>
    public string[][] Texts() => Layers.Select(l => l.Positions.Select(p => p.Best.Text).ToArray()).ToArray();

    /// <summary>Whether a cell's top token is the token that really comes next in the prompt.</summary>
    public bool IsNextToken(int layer, int position) =>
        position + 1 < Tokens.Count && Layers[layer].Positions[position].Best.Id == Tokens[position + 1].Id;

    public override string ToString()
    {
        var cells = Layers.Select((l, r) => l.Positions.Select((p, c) =>
            $"{TextGrid.Fit(p.Best.Text, 10).TrimEnd()} {p.Best.Probability.ToString(".00", CultureInfo.InvariantCulture)}{(IsNextToken(r, c) ? "✓" : "")}").ToArray()).ToArray();
        return $"logit lens of {Model}\nthe next token each layer would predict at each position, with its probability" +
            (Tokens.Count > 1 ? ";\n✓ = the token that really comes next in the prompt\n" : "\n") +
            TextGrid.Render("reads", Layers.Select(l => l.Name).ToList(), Tokens.Select(t => t.Text).ToList(), cells);
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">" +
            $"Logit lens of {Html.Encode(Model)}: the next token each layer would predict at each position (boxed: the prompt's real next token)</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">after</th>");
        foreach (var t in Tokens) html.Append($"<th style=\"{Html.CellStyle}\">{Html.Encode(t.Text)}</th>");
        html.Append("</tr>");
        for (var r = 0; r < Layers.Count; r++)
        {
            html.Append($"<tr><th style=\"{Html.CellStyle}\">{Html.Encode(Layers[r].Name)}</th>");
            for (var c = 0; c < Tokens.Count; c++)
            {
                var cell = Layers[r].Positions[c];
                var title = string.Join("\n", cell.Top.Select(p => $"{p.Text} {p.Probability:0.000}"));
                var box = IsNextToken(r, c) ? ";outline:2px solid #f59e0b;outline-offset:-2px" : "";
                html.Append($"<td title=\"{Html.Encode(title)}\" style=\"{Html.CellStyle};{Heat.Style(cell.Best.Probability)}{box}\">" +
                    $"{Html.Encode(cell.Best.Text)}<br><small>{cell.Best.Probability:0.00}</small></td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }
}
