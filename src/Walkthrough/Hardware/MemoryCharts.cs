using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>Charts of GPU memory: what is used and free, and what a plan needs against what there is.</summary>
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
            return UsedAndFree(["RAM"], [(total - available) / GiB], [available / GiB], $"No NVIDIA GPU ({report.Reason}): this machine's RAM");
        }
        return UsedAndFree(
            report.Gpus.Select(g => $"GPU {g.Index}: {g.Name}").ToList(),
            report.Gpus.Select(g => (g.MemoryUsedBytes ?? 0) / GiB).ToList(),
            report.Gpus.Select(g => (g.MemoryFreeBytes ?? 0) / GiB).ToList(),
            "GPU memory used and free");
    }

    /// <summary>One stacked bar per plan (weights, KV cache, activations, CUDA) and a dashed line at the GPU's memory.</summary>
    public static Figure Plans(IReadOnlyList<MemoryPlan> plans)
    {
        if (plans.Count == 0) throw new ArgumentException("A chart needs at least one plan.", nameof(plans));
        var parts = new (string Name, string Colour, Func<MemoryPlan, long> Bytes)[]
        {
            ("weights", "#60a5fa", p => p.WeightBytes),
            ("KV cache", "#fbbf24", p => p.KvCacheBytes),
            ("activations", "#a78bfa", p => p.ActivationBytes),
            ("CUDA allowance", "#9ca3af", _ => MemoryPlan.CudaOverheadBytes),
        };
        var series = parts.Select(part => new Series(part.Name, plans.Select(p => new Datum(part.Bytes(p) / GiB)
        {
            Tooltip = $"{p.Dtype.Name()}: {part.Name} {Units.Bytes(part.Bytes(p))}",
        }).ToList()) { Colour = part.Colour }).ToList();
        var dtypes = plans.Select(p => p.Dtype.Name()).ToList();
        if (plans[0].Gpu is not { } gpu)
            return Figure.StackedBars($"{plans[0].Model}: what each dtype needs (no GPU to compare with)", dtypes, series, "dtype", "GiB");
        return Figure.StackedBars($"{plans[0].Model} on {gpu.Name}: what each dtype needs", dtypes, series, "dtype", "GiB")
            .With(new RuleLayer(gpu.AvailableBytes / GiB, $"{gpu.Name}: {Units.Bytes(gpu.AvailableBytes)}"));
    }

    private static Figure UsedAndFree(IReadOnlyList<string> x, IReadOnlyList<double> used, IReadOnlyList<double> free, string title) =>
        Figure.StackedBars(title, x, [Series.Of("used", used, "#ef4444"), Series.Of("free", free, "#86efac")], "", "GiB");
}
