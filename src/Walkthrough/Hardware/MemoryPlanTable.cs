using System.Collections;
using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>
/// One model planned in several dtypes on one GPU — <see cref="MemoryPlan.AllDtypes"/>. A row per dtype: weights,
/// KV cache, activations, total, and whether it fits.
/// </summary>
public sealed class MemoryPlanTable(IReadOnlyList<MemoryPlan> plans) : IReadOnlyList<MemoryPlan>
{
    public IReadOnlyList<MemoryPlan> Plans { get; } = plans;

    public int Count => Plans.Count;

    public MemoryPlan this[int index] => Plans[index];

    /// <summary>The plan for one dtype.</summary>
    public MemoryPlan this[Dtype dtype] => Plans.First(p => p.Dtype == dtype);

    /// <summary>Bytes per dtype, with the column names a JSON report uses.</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("dtype", Plans.Select(p => p.Dtype.Name())),
        new Int64DataFrameColumn("parameters", Plans.Select(p => p.Parameters.Total)),
        new Int64DataFrameColumn("weight_bytes", Plans.Select(p => p.WeightBytes)),
        new Int64DataFrameColumn("kv_cache_bytes", Plans.Select(p => p.KvCacheBytes)),
        new Int64DataFrameColumn("activation_bytes", Plans.Select(p => p.ActivationBytes)),
        new Int64DataFrameColumn("cuda_bytes", Plans.Select(_ => MemoryPlan.CudaOverheadBytes)),
        new Int64DataFrameColumn("total_bytes", Plans.Select(p => p.TotalBytes)),
        new Int64DataFrameColumn("headroom_bytes", Plans.Select(p => p.HeadroomBytes)),
        new BooleanDataFrameColumn("fits", Plans.Select(p => p.Fits)));

    /// <summary>Stacked bars, one per dtype, beside a line at the GPU's memory.</summary>
    public Figure Chart() => MemoryCharts.Plans(Plans);

    public string ToHtml() => MemoryPlanHtml.Render(this);

    public override string ToString()
    {
        if (Count == 0) return "(no plans)";
        var first = Plans[0];
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{first.Model}: {first.Parameters.Total:N0} parameters, {first.Context:N0} tokens × {first.Batch} {first.Target}"));
        text.AppendLine($"{"dtype",-9}{"weights",12}{"KV cache",12}{"activations",13}{"total",12}  verdict");
        foreach (var p in Plans)
            text.AppendLine($"{p.Dtype.Name(),-9}{Units.Bytes(p.WeightBytes),12}{Units.Bytes(p.KvCacheBytes),12}{Units.Bytes(p.ActivationBytes),13}{Units.Bytes(p.TotalBytes),12}  {Verdict(p)}");
        foreach (var note in Notes) text.AppendLine($"Note: {note}");
        return text.ToString();
    }

    /// <summary>The notes the table's rows share (the default context, no GPU), then each row's own, once.</summary>
    public IReadOnlyList<string> Notes => Plans.SelectMany(p => p.Notes).Distinct().ToList();

    /// <summary>The row's verdict; an int4 row that fits says that another tool must load it.</summary>
    internal static string Verdict(MemoryPlan plan) =>
        plan.Dtype == Dtype.Int4 && plan.Fits ? plan.Outcome + " (with another tool: see the note)" : plan.Outcome;

    public IEnumerator<MemoryPlan> GetEnumerator() => Plans.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
