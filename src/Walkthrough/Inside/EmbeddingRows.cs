using System.Globalization;
using System.Text;
using Walkthrough.Display;
using static TorchSharp.torch;

namespace Walkthrough.Inside;

/// <summary>
/// Rows of the embedding matrix as numbers — one row per token, its first <see cref="Values"/> columns and its
/// length (L2 norm): the "matrix" a token id becomes. <see cref="Dimension"/> says how many numbers a row really has.
/// </summary>
public sealed record EmbeddingRows(IReadOnlyList<int> Ids, IReadOnlyList<string> Texts, float[][] Values, float[] Norms, int Dimension)
{
    public const int DefaultColumns = 8;

    /// <summary>Rows of a (n, hidden) tensor, cut to their first <paramref name="columns"/> numbers.</summary>
    internal static EmbeddingRows From(IReadOnlyList<int> ids, IReadOnlyList<string> texts, Tensor rows, int columns)
    {
        if (columns < 1) throw new WalkthroughException($"columns {columns}: show at least 1 number per row.");
        using var scope = NewDisposeScope();
        var dimension = (int)rows.shape[1];
        var shown = Matrices.Rows(rows[.., ..Math.Min(columns, dimension)]);
        var norms = Matrices.Vector(rows.to(float32).norm(1));
        return new EmbeddingRows(ids, texts, shown, norms, dimension);
    }

    public override string ToString()
    {
        var columns = Values.Length == 0 ? 0 : Values[0].Length;
        var header = new StringBuilder($"{"id",6}  {"token",-9}");
        for (var c = 0; c < columns; c++) header.Append($"{"[" + c + "]",7}");
        header.Append($"{"length",7}");
        var text = new StringBuilder($"{Ids.Count} rows × {Dimension} numbers (first {columns} shown)\n").AppendLine(header.ToString());
        for (var r = 0; r < Ids.Count; r++)
        {
            text.Append($"{Ids[r],6}  {TextGrid.Fit(Texts[r], 9)}");
            foreach (var v in Values[r]) text.Append(v.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7));
            text.AppendLine(Norms[r].ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7));
        }
        return text.ToString().TrimEnd();
    }

    public string ToHtml()
    {
        var columns = Values.Length == 0 ? 0 : Values[0].Length;
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">" +
            $"{Ids.Count} rows of the embedding matrix: the first {columns} of {Dimension} numbers, and each row's length</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">id</th><th style=\"{Html.CellStyle}\">token</th>");
        for (var c = 0; c < columns; c++) html.Append($"<th style=\"{Html.CellStyle}\">[{c}]</th>");
        html.Append($"<th style=\"{Html.CellStyle}\">…</th><th style=\"{Html.CellStyle}\">length</th></tr>");
        var scale = Values.SelectMany(r => r).Select(Math.Abs).DefaultIfEmpty(1).Max();
        for (var r = 0; r < Ids.Count; r++)
        {
            html.Append($"<tr><td style=\"{Html.CellStyle}\">{Ids[r]}</td><td style=\"{Html.CellStyle}\">{Html.Encode(Texts[r])}</td>");
            foreach (var v in Values[r])
                html.Append($"<td style=\"{Html.CellStyle};{Signed(v / scale)}\">{v.ToString("0.000", CultureInfo.InvariantCulture)}</td>");
            html.Append($"<td style=\"{Html.CellStyle}\">…</td><td style=\"{Html.CellStyle}\">{Norms[r].ToString("0.000", CultureInfo.InvariantCulture)}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    // Positive numbers blue, negative red, stronger colour for bigger magnitude.
    private static string Signed(double v)
    {
        var alpha = (0.05 + 0.6 * Math.Min(1, Math.Abs(v))).ToString("0.00", CultureInfo.InvariantCulture);
        return v >= 0 ? $"background:rgba(37,99,235,{alpha})" : $"background:rgba(220,38,38,{alpha})";
    }
}
