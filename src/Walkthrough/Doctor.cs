using System.Runtime.InteropServices;
using System.Text;
using Walkthrough.Hardware;
using Walkthrough.Hub;
using Walkthrough.Native;

namespace Walkthrough;

/// <summary>One line of <see cref="Doctor"/>: what was checked, whether it is fine, what was found, and the fix.</summary>
public sealed record DoctorCheck(string What, bool Ok, string Found, string? Fix = null);

/// <summary>
/// Checks the machine a lesson runs on — .NET, TorchSharp and libtorch, CUDA, NVML, the Hugging Face cache and token,
/// free disk — and says, for each, what is wrong and what to do. <code>Doctor.Check()</code>
/// </summary>
public sealed class Doctor
{
    private Doctor(IReadOnlyList<DoctorCheck> checks) => Checks = checks;

    public IReadOnlyList<DoctorCheck> Checks { get; }

    public bool AllOk => Checks.All(c => c.Ok);

    public static Doctor Check() => new([DotNet(), Torch(), Threads(), Cuda(), Nvml(), HuggingFaceCache(), HuggingFaceToken(), Disk()]);

    private static DoctorCheck DotNet() =>
        Environment.Version.Major >= 8
            ? new(".NET", true, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})")
            : new(".NET", false, RuntimeInformation.FrameworkDescription, "Install the .NET 10 SDK from https://dot.net.");

    private static DoctorCheck Torch()
    {
        try
        {
            var report = TorchRuntime.Describe();
            var patched = report.Patched ? $"; libLibTorchSharp patched for this libstdc++ ({report.PatchedCopy})" : "";
            var mkl = report.Mkl is { } path ? $"; {path}" : "";
            return new("TorchSharp", true, $"TorchSharp {report.TorchSharpVersion} with {LibTorch(report)}{patched}{mkl}", LibTorchFix(report));
        }
        catch (WalkthroughException e)
        {
            return new("TorchSharp", false, e.Message, "See environment.md, 'Troubleshooting'.");
        }
    }

    /// <summary>Which libtorch runs, from where and how it was chosen; a release other than TorchSharp's own is said.</summary>
    private static string LibTorch(TorchRuntimeReport report)
    {
        var release = report.LibTorchRelease ?? report.LibTorchVersion;
        var from = report.LibTorchFolder is null ? "" : $" from {report.LibTorchFolder} ({report.LibTorchSource ?? "beside the app"})";
        var built = TorchNativeFiles.LibTorchVersion;
        var other = report.LibTorchRelease is { } stated && LibTorchFolder.MinorOf(stated) != LibTorchFolder.MinorOf(built)
            ? report.MissingFunctions == 0
                ? $"; TorchSharp is built for {built}, and every libtorch function it calls is there"
                : $"; TorchSharp is built for {built}, and {report.MissingFunctions} functions it calls are missing here ({TorchRuntime.AllowMissingVariable}=1): a call to one ends the process"
            : "";
        return $"libtorch {release}{from}{other}";
    }

    private static string? LibTorchFix(TorchRuntimeReport report) =>
        report.MissingFunctions > 0 ? $"Use a libtorch {LibTorchFolder.MinorOf(TorchNativeFiles.LibTorchVersion)}.x in {TorchRuntime.LibTorchVariable}, or unset it for the NuGet one." : null;

    private static DoctorCheck Threads()
    {
        try
        {
            var threads = CpuThreads.Choose();
            return new("CPU threads", true, $"{threads} (chosen when a model loads on the CPU); decode products: {Architectures.RowDots.Kernel}",
                threads.Reason.StartsWith("set by", StringComparison.Ordinal) ? null : $"Set {CpuThreads.Variable}=N to choose the count yourself.");
        }
        catch (WalkthroughException e)
        {
            return new("CPU threads", false, e.Message, $"Unset it, or set {CpuThreads.Variable} to a whole number.");
        }
    }

    private static DoctorCheck Cuda()
    {
        // Asking torch after its start failed would run TorchSharp's own loader, which copies libtorch into the app.
        if (!TorchStarted())
            return new("CUDA", false, "unknown: libtorch did not start (see the TorchSharp line)");
        if (!TorchSharp.torch.cuda.is_available())
        {
            var why = GpuReport.Read(askTorch: false).Available
                ? "an NVIDIA GPU is present, but TorchSharp's CPU package is loaded"
                : "no NVIDIA GPU here";
            // Not an error: every lesson runs on the CPU.
            return new("CUDA", true, $"not available ({why}); lessons run on the CPU",
                why.StartsWith("an NVIDIA", StringComparison.Ordinal)
                    ? $"Set {TorchRuntime.LibTorchVariable} to the torch/lib folder of a PyTorch with CUDA, or use TorchSharp-cuda-linux/-windows (first cell of a lesson, or build with -p:WalkthroughCuda=true)."
                    : null);
        }
        var capability = CudaDriver.ComputeCapability(0);
        return new("CUDA", true, $"{TorchSharp.torch.cuda.device_count()} GPU(s), compute capability {capability?.Major}.{capability?.Minor}");
    }

    private static bool TorchStarted()
    {
        try
        {
            TorchRuntime.Ensure();
            return true;
        }
        catch (WalkthroughException)
        {
            return false;
        }
    }

    private static DoctorCheck Nvml()
    {
        var report = GpuReport.Read(askTorch: false);
        return report.Available
            ? new("NVML", true, $"driver {report.DriverVersion}, CUDA {report.CudaDriverVersion}, {string.Join(", ", report.Gpus.Select(g => g.Name))}")
            : new("NVML", true, $"no GPU report: {report.Reason}", null);
    }

    private static DoctorCheck HuggingFaceCache()
    {
        var cache = HubSettings.CacheRootFromEnvironment();
        var models = Directory.Exists(cache) ? Directory.GetDirectories(cache, "models--*").Length : 0;
        return new("Hugging Face cache", true, Directory.Exists(cache) ? $"{cache}: {models} model(s)" : $"{cache} (empty: nothing downloaded yet)");
    }

    private static DoctorCheck HuggingFaceToken()
    {
        var file = HubSettings.TokenFileFromEnvironment();
        var found = Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } ? "HF_TOKEN is set"
            : File.Exists(file) ? $"token file {file}"
            : null;
        // The token itself is never shown.
        return found is null
            ? new("Hugging Face token", true, "none (public models only)", "For gated models (Llama 2, Mistral instruct): accept the licence on huggingface.co, then set HF_TOKEN or run `huggingface-cli login`.")
            : new("Hugging Face token", true, found);
    }

    private static DoctorCheck Disk()
    {
        var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(Directory.GetCurrentDirectory()))!);
        var free = drive.AvailableFreeSpace;
        return free > 20L << 30
            ? new("Disk", true, $"{Display.Units.Bytes(free)} free")
            : new("Disk", free > 2L << 30, $"{Display.Units.Bytes(free)} free",
                "A 7B model needs about 15 GB of disk (bfloat16 safetensors); free some space before downloading one.");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var check in Checks)
        {
            text.AppendLine($"{(check.Ok ? "✔" : "✘")} {check.What,-19} {check.Found}");
            if (check.Fix is { } fix) text.AppendLine($"  {"",-19} → {fix}");
        }
        return text.ToString();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Display.Html.TableStyle}\"><tbody>");
        foreach (var check in Checks)
        {
            var colour = check.Ok ? "#15803d" : "#b91c1c";
            html.Append($"<tr><td style=\"{Display.Html.CellStyle};color:{colour}\">{(check.Ok ? "✔" : "✘")}</td>")
                .Append($"<th style=\"{Display.Html.CellStyle}\">{Display.Html.Encode(check.What)}</th>")
                .Append($"<td style=\"{Display.Html.CellStyle}\">{Display.Html.Encode(check.Found)}")
                .Append(check.Fix is { } fix ? $"<br><i>→ {Display.Html.Encode(fix)}</i>" : "")
                .Append("</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
