using System.Globalization;
using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>One token placed on the embedding map: its coordinates along the first two principal components.</summary>
public sealed record PcaPoint(int Id, string Text, double X, double Y)
{
    /// <summary>The group the token was given in (weekdays, months …), or null.</summary>
    public string? Group { get; init; }
}

/// <summary>
/// Chosen tokens' embedding rows flattened onto the two directions in which they differ most (PCA): tokens the
/// model treats alike land near each other. <see cref="ExplainedRatio"/> says how much of their spread the flat
/// picture keeps.
/// </summary>
public sealed record EmbeddingPca(IReadOnlyList<PcaPoint> Points, double[] ExplainedRatio)
{
    internal static EmbeddingPca From(IReadOnlyList<int> ids, IReadOnlyList<string> texts, IReadOnlyList<string?> groups, IReadOnlyList<double[]> rows)
    {
        var pca = PrincipalComponents.Of(rows, 2);
        var points = ids.Select((id, i) => new PcaPoint(id, texts[i], pca.Scores[i][0], pca.Scores[i].Length > 1 ? pca.Scores[i][1] : 0) { Group = groups[i] }).ToList();
        return new EmbeddingPca(points, pca.ExplainedRatio);
    }

    /// <summary>The map as a scatter of labelled points, coloured by group.</summary>
    public Figure Chart() => EmbeddingCharts.Map(this);

    private string Caption =>
        $"{Points.Count} tokens on the first two principal components of their embeddings " +
        $"({string.Join(" + ", ExplainedRatio.Select(r => (r * 100).ToString("0", CultureInfo.InvariantCulture) + " %"))} of their spread)";

    public override string ToString()
    {
        var text = new StringBuilder(Caption).AppendLine();
        foreach (var p in Points)
            text.AppendLine($"  {TextGrid.Fit(p.Text, 16)} id {p.Id,6}  x {p.X.ToString("0.000", CultureInfo.InvariantCulture),8}  y {p.Y.ToString("0.000", CultureInfo.InvariantCulture),8}{(p.Group is null ? "" : "  " + p.Group)}".TrimEnd());
        return text.ToString().TrimEnd();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">{Html.Encode(Caption)}</caption>");
        var grouped = Points.Any(p => p.Group is not null);
        html.Append($"<tr><th style=\"{Html.CellStyle}\">token</th><th style=\"{Html.CellStyle}\">id</th><th style=\"{Html.CellStyle}\">x (PC 1)</th><th style=\"{Html.CellStyle}\">y (PC 2)</th>" +
            (grouped ? $"<th style=\"{Html.CellStyle}\">group</th>" : "") + "</tr>");
        foreach (var p in Points)
            html.Append($"<tr><td style=\"{Html.CellStyle}\">{Html.Encode(p.Text)}</td><td style=\"{Html.CellStyle}\">{p.Id}</td>" +
                $"<td style=\"{Html.CellStyle}\">{p.X.ToString("0.000", CultureInfo.InvariantCulture)}</td><td style=\"{Html.CellStyle}\">{p.Y.ToString("0.000", CultureInfo.InvariantCulture)}</td>" +
                (grouped ? $"<td style=\"{Html.CellStyle}\">{Html.Encode(p.Group ?? "")}</td>" : "") + "</tr>");
        return html.Append("</table>").ToString();
    }
}
