using System.Net;
using System.Text;
using Markdig;

namespace Walkthrough.Notebooks;

/// <summary>
/// An executed notebook as one standalone HTML page — text, code, tables, token chips and charts — that opens
/// offline in any browser: charts are inline SVG drawn by the kit, with no script.
/// </summary>
public static class LessonPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string Render(Notebook notebook, string title)
    {
        var body = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == CellKind.Markdown)
            {
                body.Append("<section class=\"text\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                continue;
            }
            if (cell.Kind != CellKind.Code) continue;
            body.Append("<section class=\"cell\"><pre class=\"code\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>");
            foreach (var output in cell.Outputs) body.Append(Output(output));
            body.Append("</section>\n");
        }
        var html = body.ToString();
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #111827; }
            pre.code { background: #f3f4f6; border-left: 3px solid #6366f1; padding: .6em .8em; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
            pre.stream { background: #fff; border: 1px solid #e5e7eb; padding: .4em .8em; font-size: 13px; white-space: pre-wrap; }
            pre.error { background: #fef2f2; color: #991b1b; padding: .4em .8em; }
            section.cell { margin: 1em 0 1.5em; } .output { margin: .4em 0; overflow-x: auto; }
            </style></head>
            <body>
            {{html}}</body></html>
            """;
    }

    private static string Output(CellOutput output) => output switch
    {
        StreamOutput stream => $"<pre class=\"stream\">{WebUtility.HtmlEncode(stream.Text)}</pre>",
        DisplayOutput display when display.Data.TryGetValue("text/html", out var html) => $"<div class=\"output\">{html}</div>",
        DisplayOutput display when display.Data.TryGetValue("image/svg+xml", out var svg) => $"<div class=\"output\">{svg}</div>",
        DisplayOutput display when display.Data.TryGetValue("text/plain", out var text) => $"<pre class=\"stream\">{WebUtility.HtmlEncode(text)}</pre>",
        ErrorOutput error => $"<pre class=\"error\">{WebUtility.HtmlEncode(error.Name + ": " + error.Value)}</pre>",
        _ => "",
    };
}
