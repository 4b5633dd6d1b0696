using System.Text;
using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>A token table as an HTML table: index, id, token, kind, the characters it covers.</summary>
internal static class TokenTableHtml
{
    public static string Render(TokenTable table)
    {
        var html = new StringBuilder();
        html.Append($"<div><p style=\"margin:4px 0\"><b>{Html.Encode(table.TokenizerName)}</b>: {Html.Encode(table.Summary)}</p>");
        html.Append($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "index", "id", "token", "kind", "text" })
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        var colours = TokenColours.For(table);
        foreach (var token in table)
        {
            var background = colours[token.Index];
            var covered = table.Text[token.Start..token.End];
            html.Append("<tr>")
                .Append($"<td style=\"{Html.CellStyle}\">{token.Index}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{token.Id}</td>")
                .Append($"<td style=\"{Html.CellStyle};background:{background}\">{Html.Encode(token.Text)}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{token.Kind.ToString().ToLowerInvariant()}</td>")
                .Append($"<td style=\"{Html.CellStyle};white-space:pre\">{Html.Encode(covered)}</td>")
                .Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return html.ToString();
    }
}
