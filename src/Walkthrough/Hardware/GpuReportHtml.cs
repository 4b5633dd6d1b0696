using System.Text;
using Walkthrough.Display;
using static Walkthrough.Hardware.GpuReport;

namespace Walkthrough.Hardware;

/// <summary>A <see cref="GpuReport"/> as nvidia-smi lays it out: a GPU table, a process table, then RAM and libtorch.</summary>
internal static class GpuReportHtml
{
    public static string Render(GpuReport report)
    {
        var html = new StringBuilder("<div>");
        if (!report.Available)
        {
            html.Append($"<p><b>No NVIDIA GPU</b>: {Html.Encode(report.Reason ?? "")}. The planner still works: name a GPU or give its memory.</p>");
        }
        else
        {
            html.Append($"<p>NVIDIA driver <b>{Html.Encode(report.DriverVersion ?? "?")}</b> · CUDA <b>{Html.Encode(report.CudaDriverVersion ?? "?")}</b></p>");
            Table(html, ["GPU", "Name", "Memory used / total", "", "GPU util", "Temp", "Power / cap", "Compute capability"],
                report.Gpus.Select(g => new[]
                {
                    Html.Encode(g.Index.ToString()),
                    Html.Encode(g.Name),
                    Html.Encode(Format.UsedOfTotal(g.MemoryUsedBytes, g.MemoryTotalBytes)),
                    Bar(g.MemoryUsedBytes, g.MemoryTotalBytes),
                    Html.Encode(Format.Percent(g.UtilizationPercent)),
                    Html.Encode(Format.Celsius(g.TemperatureCelsius)),
                    Html.Encode(Format.Power(g.PowerDrawWatts, g.PowerLimitWatts)),
                    Html.Encode(g.ComputeCapability?.ToString() ?? "?"),
                }));
            var processes = report.Gpus.SelectMany(g => g.Processes.Select(p => (g.Index, p))).ToList();
            if (processes.Count == 0)
                html.Append("<p>No process holds GPU memory.</p>");
            else
                Table(html, ["GPU", "PID", "Type", "Process", "GPU memory"], processes.Select(x => new[]
                {
                    Html.Encode(x.Index.ToString()),
                    Html.Encode(x.p.Pid.ToString()),
                    Html.Encode(x.p.Type),
                    Html.Encode(Format.ProcessName(x.p, report.ProcessId)),
                    Html.Encode(Format.Bytes(x.p.UsedBytes)),
                }));
        }
        var problems = report.Problems.Concat(report.Gpus.SelectMany(g => g.Problems.Select(p => $"GPU {g.Index}: {p}"))).ToList();
        if (problems.Count > 0)
            html.Append("<ul>").Append(string.Concat(problems.Select(p => $"<li>{Html.Encode(p)}</li>"))).Append("</ul>");
        html.Append($"<p>{Html.Encode(Format.Machine(report.Machine))}</p>");
        html.Append($"<p>{Html.Encode(Format.Torch(report.Torch, report.ThisProcessGpuBytes, report.Available))}</p>");
        return html.Append("</div>").ToString();
    }

    private static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows)
    {
        html.Append($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in headers) html.Append($"<th style=\"{Html.CellStyle}\">{Html.Encode(header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
            html.Append("<tr>").Append(string.Concat(row.Select(cell => $"<td style=\"{Html.CellStyle}\">{cell}</td>"))).Append("</tr>");
        html.Append("</tbody></table>");
    }

    // A memory bar like a fuel gauge: red once nine tenths are used, as the seed's V100 was (16076 of 16384 MiB).
    private static string Bar(long? used, long? total)
    {
        if (used is not { } u || total is not { } t || t <= 0) return "";
        var percent = Math.Clamp(100.0 * u / t, 0, 100);
        var colour = percent >= 90 ? "#ef4444" : "#60a5fa";
        return $"<div style=\"width:120px;height:10px;background:#e5e7eb\"><div style=\"width:{percent:0}%;height:10px;background:{colour}\"></div></div>";
    }
}
