using System.Text;
using Microsoft.Data.Analysis;

namespace Walkthrough.Display;

/// <summary>
/// A DataFrame as an HTML table (the formatting package's default is an object dump) and as aligned text (its own
/// ToString pads to a fixed width and runs long values into the next column); long frames are cut.
/// </summary>
internal static class DataFrameDisplay
{
    private const int MaxRows = 100;

    public static string AsHtml(DataFrame frame)
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var column in frame.Columns) html.Append($"<th style=\"{Html.CellStyle}\">{Html.Encode(column.Name)}</th>");
        html.Append("</tr></thead><tbody>");
        var rows = Math.Min(frame.Rows.Count, MaxRows);
        for (var r = 0; r < rows; r++)
        {
            html.Append("<tr>");
            foreach (var column in frame.Columns) html.Append($"<td style=\"{Html.CellStyle}\">{Html.Encode(column[r]?.ToString() ?? "")}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (frame.Rows.Count > MaxRows) html.Append($"<p>… {frame.Rows.Count - MaxRows} more rows</p>");
        return html.ToString();
    }

    public static string AsText(DataFrame frame)
    {
        var rows = (int)Math.Min(frame.Rows.Count, MaxRows);
        var cells = frame.Columns.Select(column => Enumerable.Range(0, rows).Select(r => column[r]?.ToString() ?? "").Prepend(column.Name).ToList()).ToList();
        var widths = cells.Select(column => column.Max(cell => cell.Length)).ToList();
        var text = new StringBuilder();
        for (var r = 0; r <= rows; r++)
            text.AppendLine(string.Join("  ", cells.Select((column, c) => column[r].PadRight(widths[c]))).TrimEnd());
        if (frame.Rows.Count > MaxRows) text.AppendLine($"… {frame.Rows.Count - MaxRows} more rows");
        return text.ToString();
    }
}
