using System.Globalization;
using System.Text;
using Walkthrough.Checkpoints;
using Walkthrough.Display;
using static TorchSharp.torch;

namespace Walkthrough.Hardware;

/// <summary>
/// A plan checked after a real load: the planned parameters and weight bytes beside what the loaded model holds,
/// and what this process now holds — on a GPU as NVML lists it (the weights plus the CUDA context and PyTorch's
/// cache), on the CPU as resident memory (the weights plus .NET, libtorch and the tokenizer).
/// <code>var check = LoadCheck.Of(model, plan);</code>
/// </summary>
public sealed record LoadCheck(MemoryPlan Plan, long LoadedParameters, long LoadedWeightBytes, string Device, long? ProcessGpuBytes, long? ProcessResidentBytes)
{
    /// <summary>Loaded minus planned weight bytes: 0 when the plan's convention is the loader's.</summary>
    public long WeightDifferenceBytes => LoadedWeightBytes - Plan.WeightBytes;

    /// <summary>Measures <paramref name="model"/> against a plan made for the same dtype.</summary>
    public static LoadCheck Of(LanguageModel model, MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        var loaded = model.Int8 ? Dtype.Int8
            : model.Dtype == ScalarType.Float32 ? Dtype.Float32
            : model.Dtype == ScalarType.BFloat16 ? Dtype.BFloat16
            : Dtype.Float16;
        if (loaded != plan.Dtype)
            throw new WalkthroughException($"The plan is for {plan.Dtype.Name()} but {model.Name} was loaded in {loaded.Name()}: plan it in {loaded.Name()} to compare.");
        var onGpu = model.Device.type == TorchSharp.DeviceType.CUDA;
        return new LoadCheck(
            plan,
            model.ParameterCount,
            model.ParameterBytes,
            model.Device.ToString(),
            onGpu ? GpuReport.Read(askTorch: false).ThisProcessGpuBytes : null,
            MachineMemory.Read().ProcessWorkingSetBytes);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (what, planned, measured, remark) in Rows())
            text.AppendLine($"{what,-22}{planned,16}{measured,16}   {remark}");
        return text.ToString();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "", "planned", "measured", "" })
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (what, planned, measured, remark) in Rows())
            html.Append("<tr>").Append(string.Concat(new[] { what, planned, measured, remark }.Select(cell => $"<td style=\"{Html.CellStyle}\">{Html.Encode(cell)}</td>"))).Append("</tr>");
        return html.Append("</tbody></table>").ToString();
    }

    private IEnumerable<(string What, string Planned, string Measured, string Remark)> Rows()
    {
        yield return ("parameters", Number(Plan.Parameters.Total), Number(LoadedParameters), LoadedParameters == Plan.Parameters.Total ? "same" : Number(LoadedParameters - Plan.Parameters.Total));
        yield return ($"weights ({Plan.Dtype.Name()})", Units.Bytes(Plan.WeightBytes), Units.Bytes(LoadedWeightBytes),
            WeightDifferenceBytes == 0 ? "same" : $"{(WeightDifferenceBytes > 0 ? "+" : "−")}{Units.Bytes(Math.Abs(WeightDifferenceBytes))}");
        var beforeAnyToken = Plan.WeightBytes + MemoryPlan.CudaOverheadBytes;
        if (ProcessGpuBytes is { } gpu)
            yield return ("this process on GPU", Units.Bytes(beforeAnyToken), Units.Bytes(gpu), "NVML: weights + CUDA context + PyTorch's cache; no token read yet");
        else if (OnGpu)
            yield return ("this process on GPU", Units.Bytes(beforeAnyToken), "?", "NVML lists no memory for this process (no driver access, or another pid namespace)");
        if (ProcessResidentBytes is { } resident)
            yield return ("this process in RAM", OnGpu ? "" : Units.Bytes(Plan.WeightBytes), Units.Bytes(resident),
                "resident: the weights (on the CPU) + .NET, libtorch and the tokenizer");
    }

    private bool OnGpu => Device.StartsWith("cuda", StringComparison.Ordinal);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
