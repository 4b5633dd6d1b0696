using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>Plotly.NET charts of GPU memory: what is used and free, and what a plan needs against what there is.</summary>
internal static class MemoryCharts
{
    private const double GiB = 1L << 30;

    /// <summary>A stacked bar per GPU, used under free, in GiB; without a GPU, the machine's RAM.</summary>
    public static Figure GpuMemory(GpuReport report)
    {
        if (!report.Available)
        {
            var total = report.Machine.RamTotalBytes ?? 0;
            var available = report.Machine.RamAvailableBytes ?? 0;
            return Stacked(["RAM"], [(total - available) / GiB], [available / GiB], $"No NVIDIA GPU ({report.Reason}): this machine's RAM");
        }
        return Stacked(
            report.Gpus.Select(g => $"GPU {g.Index}: {g.Name}").ToArray(),
            report.Gpus.Select(g => (g.MemoryUsedBytes ?? 0) / GiB).ToArray(),
            report.Gpus.Select(g => (g.MemoryFreeBytes ?? 0) / GiB).ToArray(),
            "GPU memory used and free");
    }

    /// <summary>One stacked bar per plan (weights, KV cache, activations, CUDA) and a dashed line at the GPU's memory.</summary>
    public static Figure Plans(IReadOnlyList<MemoryPlan> plans)
    {
        if (plans.Count == 0) throw new ArgumentException("A chart needs at least one plan.", nameof(plans));
        var x = plans.Select(p => p.Dtype.Name()).ToArray();
        var parts = new (string Name, string Colour, Func<MemoryPlan, long> Bytes)[]
        {
            ("weights", "#60a5fa", p => p.WeightBytes),
            ("KV cache", "#fbbf24", p => p.KvCacheBytes),
            ("activations", "#a78bfa", p => p.ActivationBytes),
            ("CUDA allowance", "#9ca3af", _ => MemoryPlan.CudaOverheadBytes),
        };
        var traces = parts.Select(part => Plot.Trace("bar",
            ("name", part.Name), ("x", x), ("y", plans.Select(p => part.Bytes(p) / GiB).ToArray()),
            ("marker", new Dictionary<string, object> { ["color"] = part.Colour })));
        if (plans[0].Gpu is not { } gpu)
            return new Figure(Plot.Chart(traces, $"{plans[0].Model}: what each dtype needs (no GPU to compare with)", "dtype", "GiB", ("barmode", "stack")));
        var line = gpu.AvailableBytes / GiB;
        return new Figure(Plot.Chart(traces, $"{plans[0].Model} on {gpu.Name}: what each dtype needs", "dtype", "GiB",
            ("barmode", "stack"),
            ("shapes", new[] { new Dictionary<string, object>
            {
                ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["y0"] = line, ["y1"] = line,
                ["line"] = new Dictionary<string, object> { ["color"] = "#ef4444", ["dash"] = "dash" },
            } }),
            ("annotations", new[] { new Dictionary<string, object>
            {
                ["xref"] = "paper", ["x"] = 1, ["y"] = line, ["xanchor"] = "right", ["yanchor"] = "bottom", ["showarrow"] = false,
                ["text"] = $"{gpu.Name}: {Units.Bytes(gpu.AvailableBytes)}",
            } })));
    }

    private static Figure Stacked(string[] x, double[] used, double[] free, string title)
    {
        var usedBar = Plot.Trace("bar", ("name", "used"), ("x", x), ("y", used), ("marker", new Dictionary<string, object> { ["color"] = "#ef4444" }));
        var freeBar = Plot.Trace("bar", ("name", "free"), ("x", x), ("y", free), ("marker", new Dictionary<string, object> { ["color"] = "#bbf7d0" }));
        return new Figure(Plot.Chart([usedBar, freeBar], title, "", "GiB", ("barmode", "stack")));
    }
}
