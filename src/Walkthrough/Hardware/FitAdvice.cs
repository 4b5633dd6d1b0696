using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>
/// What to change when a plan does not fit. Each change is tried alone, smallest first: a 16-bit dtype (from
/// float32, which loses nothing a learner would notice), a context that keeps at least half the tokens, int8, then
/// int4 weights, a much shorter context, and last more GPUs of the same kind.
/// </summary>
internal static class FitAdvice
{
    /// <summary>Contexts the advice suggests are rounded down to a multiple of this, to read as round numbers.</summary>
    private const int ContextStep = 256;

    private const int MostGpus = 64;

    public static IReadOnlyList<FitOption> For(MemoryPlan plan)
    {
        if (plan.Fits) return [];
        var options = new List<FitOption>();

        if (plan.Dtype == Dtype.Float32)
        {
            var half = plan.Gpu.ComputesBFloat16 ? Dtype.BFloat16 : Dtype.Float16;
            if (With(plan, half, plan.Context) is { Fits: true } sixteen)
                options.Add(Option(FitChange.SixteenBit, sixteen, $"load it in {half.Name()}"));
        }

        var longest = LongestContext(plan);
        if (longest > 0 && 2L * longest >= plan.Context)
            options.Add(Option(FitChange.ShorterContext, With(plan, plan.Dtype, longest), Invariant($"shorten the context to {longest:N0} tokens")));

        foreach (var (dtype, change) in new[] { (Dtype.Int8, FitChange.Int8), (Dtype.Int4, FitChange.Int4) })
        {
            if (dtype <= plan.Dtype) continue; // already this narrow (or narrower)
            if (With(plan, dtype, plan.Context) is not { Fits: true } quantized) continue;
            options.Add(Option(change, quantized, $"load its Linear weights in {dtype.Name()}"));
            break; // int4 only when int8 is not enough
        }

        if (longest > 0 && 2L * longest < plan.Context)
            options.Add(Option(FitChange.MuchShorterContext, With(plan, plan.Dtype, longest), Invariant($"shorten the context to {longest:N0} tokens")));

        if (GpusNeeded(plan) is { } gpus)
        {
            var perGpu = (plan.WeightBytes + plan.KvCacheBytes + gpus - 1) / gpus + plan.ActivationBytes + MemoryPlan.CudaOverheadBytes;
            options.Add(new FitOption(FitChange.MoreGpus, plan.Dtype, plan.Context, gpus, perGpu, plan.Gpu.AvailableBytes - perGpu,
                Invariant($"split it across {gpus} GPUs like this one: {Units.Bytes(perGpu)} on each, {Units.Bytes(plan.Gpu.AvailableBytes - perGpu)} to spare")));
        }
        return options;
    }

    private static MemoryPlan With(MemoryPlan plan, Dtype dtype, int context) => plan with { Dtype = dtype, Context = context, Options = [] };

    private static FitOption Option(FitChange change, MemoryPlan after, string what) => new(
        change, after.Dtype, after.Context, 1, after.TotalBytes, after.HeadroomBytes,
        $"{what} — {Units.Bytes(after.TotalBytes)}, {Units.Bytes(after.HeadroomBytes)} to spare");

    /// <summary>The most tokens that fit at the plan's dtype and batch, rounded down to a multiple of 256 when that many fit; 0 when none.</summary>
    private static int LongestContext(MemoryPlan plan)
    {
        var room = plan.Gpu.AvailableBytes - plan.WeightBytes - MemoryPlan.CudaOverheadBytes;
        var perToken = plan.Batch * (plan.KvCacheBytesPerToken + plan.ActivationBytesPerToken);
        if (room <= 0) return 0;
        var tokens = Math.Min(room / perToken, plan.Context - 1L);
        return (int)(tokens >= ContextStep ? tokens / ContextStep * ContextStep : tokens);
    }

    /// <summary>
    /// GPUs needed when layers are shared out between them (as device_map="auto" does): each holds its share of the
    /// weights and KV cache, and its own CUDA context and activations. Null when even that cannot fit.
    /// </summary>
    private static int? GpusNeeded(MemoryPlan plan)
    {
        var perGpuRoom = plan.Gpu.AvailableBytes - plan.ActivationBytes - MemoryPlan.CudaOverheadBytes;
        if (perGpuRoom <= 0) return null;
        var shared = plan.WeightBytes + plan.KvCacheBytes;
        var gpus = (shared + perGpuRoom - 1) / perGpuRoom;
        return gpus is >= 2 and <= MostGpus ? (int)gpus : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
