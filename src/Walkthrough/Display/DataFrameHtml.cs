using System.Text;
using Microsoft.Data.Analysis;

namespace Walkthrough.Display;

/// <summary>A DataFrame as an HTML table (the formatting package's default is an object dump); long frames are cut.</summary>
internal static class DataFrameHtml
{
    private const int MaxRows = 100;

    public static string Render(DataFrame frame)
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
}
