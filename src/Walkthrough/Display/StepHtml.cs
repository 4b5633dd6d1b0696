using System.Text;
using Walkthrough.Inference;

namespace Walkthrough.Display;

/// <summary>
/// A step as an HTML table: rank, token, id, logit, probability (with a bar), cumulative; the chosen row marked, and
/// the rows top-k, top-p or min-p cut from the draw greyed and labelled with the rule that cut them.
/// </summary>
internal static class StepHtml
{
    private const string CutColour = "#9ca3af";

    public static string Render(NextTokenStep step)
    {
        var html = new StringBuilder();
        html.Append($"<div><p style=\"margin:4px 0\">Step {step.Step}: chose <b>{Html.Encode(step.Chosen.Text)}</b> ")
            .Append($"(id {step.Chosen.Id}, probability {step.Chosen.Probability:0.000}, rank {step.Chosen.Rank}) — {Html.Encode(step.Rule)}. ")
            .Append($"Entropy {step.Entropy:0.00} bits.</p>");
        if (step.EndsText) html.Append($"<p style=\"margin:4px 0\"><b>{Html.Encode(step.EndNote)}</b></p>");
        var cuts = step.Candidates.Any(c => !c.Kept);
        html.Append($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "rank", "token", "id", "logit", "probability", "", "cumulative" }.Concat(cuts ? ["in the draw"] : []))
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var c in step.Candidates)
        {
            var chosen = c.Id == step.Chosen.Id;
            var bar = $"<div style=\"background:{(c.Kept ? "#60a5fa" : CutColour)};height:10px;width:{Math.Round(c.Probability * 200)}px\"></div>";
            html.Append(chosen ? "<tr style=\"font-weight:bold;background:#fef9c3\">" : c.Kept ? "<tr>" : $"<tr style=\"color:{CutColour}\">")
                .Append($"<td style=\"{Html.CellStyle}\">{c.Rank}</td>")
                .Append($"<td style=\"{Html.CellStyle};white-space:pre\">{Html.Encode(c.Text)}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{c.Id}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{c.Logit:0.00}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{c.Probability:0.0000}</td>")
                .Append($"<td style=\"{Html.CellStyle};width:210px\">{bar}</td>")
                .Append($"<td style=\"{Html.CellStyle}\">{c.CumulativeProbability:0.0000}</td>");
            if (cuts) html.Append($"<td style=\"{Html.CellStyle}\">{(c.CutBy is { } cut ? $"cut by {cut.Name()}" : "kept")}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return html.ToString();
    }
}
