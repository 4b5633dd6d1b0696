using System.Text;
using Walkthrough.Checkpoints;

namespace Walkthrough.Display;

/// <summary>A config as a two-column table of what it says.</summary>
internal static class ModelConfigHtml
{
    public static string Render(ModelConfig config)
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><tbody>");
        foreach (var (what, value) in config.Summary())
            html.Append($"<tr><th style=\"{Html.CellStyle}\">{Html.Encode(what)}</th><td style=\"{Html.CellStyle}\">{Html.Encode(value)}</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }
}
