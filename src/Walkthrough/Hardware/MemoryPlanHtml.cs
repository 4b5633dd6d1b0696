using System.Globalization;
using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>Plans as HTML: one plan's breakdown and verdict, or a table of dtypes with the fitting ones in green.</summary>
internal static class MemoryPlanHtml
{
    private const string Fits = "#bbf7d0";
    private const string DoesNotFit = "#fecaca";

    public static string Render(MemoryPlan plan)
    {
        var html = new StringBuilder("<div>");
        html.Append($"<p><b>{Html.Encode(plan.Model)}</b>: {Number(plan.Parameters.Total)} parameters in <b>{plan.Dtype.Name()}</b>, " +
                    $"{Number(plan.Context)} tokens × {plan.Batch}, {Target(plan)}</p>");
        html.Append($"<table style=\"{Html.TableStyle}\"><tbody>");
        foreach (var (label, bytes, how) in plan.Lines())
            html.Append($"<tr>{Cell(label)}{Cell(Units.Bytes(bytes), "text-align:right")}{Cell(how)}</tr>");
        html.Append($"<tr style=\"background:{Background(plan)}\">{Cell("total")}{Cell(Units.Bytes(plan.TotalBytes), "text-align:right")}" +
                    $"{Cell(plan.Gpu is not null && !plan.Fits ? "does not fit, " + plan.Outcome : plan.Outcome)}</tr>");
        html.Append("</tbody></table>");
        html.Append($"<p>{Html.Encode(plan.Verdict)}</p>");
        if (plan.Options.Count > 1)
            html.Append("<p>Other changes that fit:</p><ul>").Append(string.Concat(plan.Options.Skip(1).Select(o => $"<li>{Html.Encode(o.Description)}</li>"))).Append("</ul>");
        Parts(html, plan);
        foreach (var note in plan.Notes) html.Append($"<p><i>{Html.Encode(note)}</i></p>");
        return html.Append("</div>").ToString();
    }

    public static string Render(MemoryPlanTable table)
    {
        if (table.Count == 0) return "<p>(no plans)</p>";
        var first = table[0];
        var html = new StringBuilder("<div>");
        html.Append($"<p><b>{Html.Encode(first.Model)}</b>: {Number(first.Parameters.Total)} parameters, {Number(first.Context)} tokens × {first.Batch}, " +
                    $"{Target(first)}</p>");
        html.Append($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "dtype", "weights", "KV cache", "activations", "CUDA", "total", "verdict" })
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var p in table)
        {
            html.Append($"<tr style=\"background:{Background(p)}\">{Cell(p.Dtype.Name())}");
            foreach (var bytes in new[] { p.WeightBytes, p.KvCacheBytes, p.ActivationBytes, MemoryPlan.CudaOverheadBytes, p.TotalBytes })
                html.Append(Cell(Units.Bytes(bytes), "text-align:right"));
            html.Append(Cell(MemoryPlanTable.Verdict(p))).Append("</tr>");
        }
        html.Append("</tbody></table>");
        foreach (var note in table.Notes) html.Append($"<p><i>{Html.Encode(note)}</i></p>");
        return html.Append("</div>").ToString();
    }

    private static void Parts(StringBuilder html, MemoryPlan plan)
    {
        html.Append($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "part", "parameters", $"bytes in {plan.Dtype.Name()}" })
            html.Append($"<th style=\"{Html.CellStyle}\">{Html.Encode(header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var part in plan.Parts)
            html.Append($"<tr>{Cell(part.Part.ToString())}{Cell(Number(part.Parameters), "text-align:right")}{Cell(Units.Bytes(part.Bytes), "text-align:right")}</tr>");
        html.Append("</tbody></table>");
    }

    private static string Target(MemoryPlan plan) => plan.Gpu is { } gpu
        ? $"on <b>{Html.Encode(gpu.Name)}</b> ({Units.Bytes(gpu.AvailableBytes)} available; {Html.Encode(gpu.Source)})"
        : "with <b>no GPU to compare with</b>";

    // Green where it fits, red where it does not, no colour without a GPU to compare with.
    private static string Background(MemoryPlan plan) => plan.Gpu is null ? "transparent" : plan.Fits ? Fits : DoesNotFit;

    private static string Cell(string text, string style = "") =>
        $"<td style=\"{(style.Length == 0 ? Html.CellStyle : Html.CellStyle + ";" + style)}\">{Html.Encode(text)}</td>";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
