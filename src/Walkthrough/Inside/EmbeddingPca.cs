using System.Globalization;
using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>One token placed on the embedding map: its coordinates along the first two principal components.</summary>
public sealed record PcaPoint(int Id, string Text, double X, double Y);

/// <summary>
/// Chosen tokens' embedding rows flattened onto the two directions in which they differ most (PCA): tokens the
/// model treats alike land near each other. <see cref="ExplainedRatio"/> says how much of their spread the flat
/// picture keeps.
/// </summary>
public sealed record EmbeddingPca(IReadOnlyList<PcaPoint> Points, double[] ExplainedRatio)
{
    internal static EmbeddingPca From(IReadOnlyList<int> ids, IReadOnlyList<string> texts, IReadOnlyList<double[]> rows)
    {
        var pca = PrincipalComponents.Of(rows, 2);
        var points = ids.Select((id, i) => new PcaPoint(id, texts[i], pca.Scores[i][0], pca.Scores[i].Length > 1 ? pca.Scores[i][1] : 0)).ToList();
        return new EmbeddingPca(points, pca.ExplainedRatio);
    }

    private string Caption =>
        $"{Points.Count} tokens on the first two principal components of their embeddings " +
        $"({string.Join(" + ", ExplainedRatio.Select(r => (r * 100).ToString("0", CultureInfo.InvariantCulture) + " %"))} of their spread)";

    public override string ToString()
    {
        var text = new StringBuilder(Caption).AppendLine();
        foreach (var p in Points)
            text.AppendLine($"  {TextGrid.Fit(p.Text, 16)} id {p.Id,6}  x {p.X.ToString("0.000", CultureInfo.InvariantCulture),8}  y {p.Y.ToString("0.000", CultureInfo.InvariantCulture),8}");
        return text.ToString().TrimEnd();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">{Html.Encode(Caption)}</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">token</th><th style=\"{Html.CellStyle}\">id</th><th style=\"{Html.CellStyle}\">x (PC 1)</th><th style=\"{Html.CellStyle}\">y (PC 2)</th></tr>");
        foreach (var p in Points)
            html.Append($"<tr><td style=\"{Html.CellStyle}\">{Html.Encode(p.Text)}</td><td style=\"{Html.CellStyle}\">{p.Id}</td>" +
                $"<td style=\"{Html.CellStyle}\">{p.X.ToString("0.000", CultureInfo.InvariantCulture)}</td><td style=\"{Html.CellStyle}\">{p.Y.ToString("0.000", CultureInfo.InvariantCulture)}</td></tr>");
        return html.Append("</table>").ToString();
    }
}
