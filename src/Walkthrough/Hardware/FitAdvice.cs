using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>
/// What to change when a plan does not fit. Each change is tried alone, smallest first: a 16-bit dtype (from
/// float32, which loses nothing a learner would notice), a context that keeps at least half the tokens, int8
/// weights, a much shorter context, and last more GPUs of the same kind. Only changes the kit can load are offered:
/// where 4-bit weights alone would fit, <see cref="Int4Note"/> says which other tools load them.
/// </summary>
internal static class FitAdvice
{
    /// <summary>Where 4-bit weights can be run, since the kit loads 8-bit ones at most.</summary>
    public const string Int4Elsewhere =
        "The kit does not load 4-bit weights; other tools do: bitsandbytes (load_in_4bit in Python's transformers), " +
        "GPTQ or AWQ checkpoints, or a GGUF runtime such as llama.cpp (Q4_K_M files).";

    /// <summary>Contexts the advice suggests are rounded down to a multiple of this, to read as round numbers.</summary>
    private const int ContextStep = 256;

    private const int MostGpus = 64;

    public static IReadOnlyList<FitOption> For(MemoryPlan plan)
    {
        if (plan.Fits || plan.Gpu is null) return [];
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

        if (plan.Dtype < Dtype.Int8 && With(plan, Dtype.Int8, plan.Context) is { Fits: true } int8)
            options.Add(Option(FitChange.Int8, int8, "load its Linear weights in int8"));

        if (longest > 0 && 2L * longest < plan.Context)
            options.Add(Option(FitChange.MuchShorterContext, With(plan, plan.Dtype, longest), Invariant($"shorten the context to {longest:N0} tokens")));

        if (GpusNeeded(plan) is { } gpus)
        {
            var perGpu = (plan.WeightBytes + plan.KvCacheBytes + gpus - 1) / gpus + plan.ActivationBytes + MemoryPlan.CudaOverheadBytes;
            var spare = plan.Gpu!.AvailableBytes - perGpu;
            options.Add(new FitOption(FitChange.MoreGpus, plan.Dtype, plan.Context, gpus, perGpu, spare,
                Invariant($"split it across {gpus} GPUs like this one: {Units.Bytes(perGpu)} on each, {Units.Bytes(spare)} to spare")));
        }
        return options;
    }

    /// <summary>
    /// A note for a plan that int8 cannot rescue but 4-bit weights would: how much that needs, and which tools load it.
    /// Null when int8 already fits, when int4 would not fit either, or when the plan fits.
    /// </summary>
    public static string? Int4Note(MemoryPlan plan)
    {
        if (plan.Fits || plan.Gpu is null || plan.Dtype >= Dtype.Int8) return null;
        if (With(plan, Dtype.Int8, plan.Context).Fits) return null;
        var int4 = With(plan, Dtype.Int4, plan.Context);
        return int4.Fits
            ? $"With 4-bit weights it would need {Units.Bytes(int4.TotalBytes)} and fit. {Int4Elsewhere}"
            : null;
    }

    private static MemoryPlan With(MemoryPlan plan, Dtype dtype, int context) => plan with { Dtype = dtype, Context = context, Options = [] };

    private static FitOption Option(FitChange change, MemoryPlan after, string what) => new(
        change, after.Dtype, after.Context, 1, after.TotalBytes, after.HeadroomBytes!.Value,
        $"{what} — {Units.Bytes(after.TotalBytes)}, {Units.Bytes(after.HeadroomBytes!.Value)} to spare");

    /// <summary>The most tokens that fit at the plan's dtype and batch, rounded down to a multiple of 256 when that many fit; 0 when none.</summary>
    private static int LongestContext(MemoryPlan plan)
    {
        var room = plan.Gpu!.AvailableBytes - plan.WeightBytes - MemoryPlan.CudaOverheadBytes;
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
        var perGpuRoom = plan.Gpu!.AvailableBytes - plan.ActivationBytes - MemoryPlan.CudaOverheadBytes;
        if (perGpuRoom <= 0) return null;
        var shared = plan.WeightBytes + plan.KvCacheBytes;
        var gpus = (shared + perGpuRoom - 1) / perGpuRoom;
        return gpus is >= 2 and <= MostGpus ? (int)gpus : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
