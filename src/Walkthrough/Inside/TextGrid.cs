using System.Text;

namespace Walkthrough.Inside;

/// <summary>
/// A labelled grid of short cells as terminal text no wider than a line (80 columns): columns that do not fit
/// continue in a further block below, each block with its own header.
/// </summary>
internal static class TextGrid
{
    public static string Render(string corner, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, string[][] cells, int width = 80)
    {
        var labelWidth = Math.Min(14, new[] { corner }.Concat(rowLabels).Max(l => l.Length));
        var cellWidth = Math.Min(16, columnLabels.Concat(cells.SelectMany(r => r)).DefaultIfEmpty("").Max(c => c.Length));
        var perBlock = Math.Max(1, (width - labelWidth) / (cellWidth + 2));
        var text = new StringBuilder();
        for (var first = 0; first < columnLabels.Count; first += perBlock)
        {
            var columns = Enumerable.Range(first, Math.Min(perBlock, columnLabels.Count - first)).ToList();
            if (first > 0) text.AppendLine();
            text.AppendLine(Line(Fit(corner, labelWidth), columns.Select(c => Fit(columnLabels[c], cellWidth))));
            for (var r = 0; r < rowLabels.Count; r++)
                text.AppendLine(Line(Fit(rowLabels[r], labelWidth), columns.Select(c => Fit(cells[r][c], cellWidth))));
        }
        return text.ToString().TrimEnd();
    }

    private static string Line(string label, IEnumerable<string> cells) => string.Join("  ", cells.Prepend(label)).TrimEnd();

    /// <summary>A token's text for a narrow column: newlines and tabs visible, cut with … when too long.</summary>
    public static string Fit(string text, int width)
    {
        var visible = text.Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r");
        return (visible.Length > width ? visible[..(width - 1)] + "…" : visible).PadRight(width);
    }
}
