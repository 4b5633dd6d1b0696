using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>Which token one head looks at most from the last position.</summary>
public sealed record HeadFocus(int Head, int Position, string Text, float Weight);

/// <summary>The recorded heads of one layer, and what each reads most when predicting the next token.</summary>
public sealed record AttentionLayer(int Layer, IReadOnlyList<AttentionMap> Heads)
{
    /// <summary>Per head: the position the last token takes most from — where the head looks to predict what comes next.</summary>
    public IReadOnlyList<HeadFocus> LastTokenFocus => Heads.Select(map =>
    {
        var (key, weight) = map.Strongest(map.Weights.Length - 1);
        return new HeadFocus(map.Head, key, map.Tokens[key].Text, weight);
    }).ToList();

    public override string ToString()
    {
        var text = new StringBuilder($"layer {Layer}: where the last token looks, per head\n");
        foreach (var f in LastTokenFocus) text.AppendLine($"  head {f.Head,2}: {TextGrid.Fit(f.Text, 16).TrimEnd()} (position {f.Position}), {f.Weight:0.00}");
        foreach (var map in Heads) text.AppendLine().AppendLine(map.ToString());
        return text.ToString().TrimEnd();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">Layer {Layer}: where the last token looks, per head</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">head</th><th style=\"{Html.CellStyle}\">looks most at</th><th style=\"{Html.CellStyle}\">position</th><th style=\"{Html.CellStyle}\">share</th></tr>");
        foreach (var f in LastTokenFocus)
            html.Append($"<tr><td style=\"{Html.CellStyle}\">{f.Head}</td><td style=\"{Html.CellStyle}\">{Html.Encode(f.Text)}</td><td style=\"{Html.CellStyle}\">{f.Position}</td>" +
                $"<td style=\"{Html.CellStyle};{Heat.Style(f.Weight)}\">{f.Weight:0.00}</td></tr>");
        html.Append("</table><div style=\"display:flex;flex-wrap:wrap;gap:12px;margin-top:8px\">");
        foreach (var map in Heads) html.Append("<div>").Append(map.ToHtml()).Append("</div>");
        return html.Append("</div>").ToString();
    }
}
