using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>
/// What nvidia-smi shows, read from C#: every NVIDIA GPU with its memory, load, temperature, power and the processes
/// holding memory — or, on a machine without one, why not. Either way it adds the machine's RAM and this process's
/// memory. <code>var gpus = GpuReport.Read();</code> It never throws for a missing or failing driver: it says so.
/// </summary>
public sealed record GpuReport
{
    /// <summary>Whether NVML answered and found at least one GPU.</summary>
    public required bool Available { get; init; }

    /// <summary>Why there is no GPU to show ("no NVIDIA driver: libnvidia-ml.so.1 not found"); null when there is.</summary>
    public string? Reason { get; init; }

    public string? DriverVersion { get; init; }

    /// <summary>The newest CUDA the driver supports ("12.2"), as nvidia-smi's "CUDA Version".</summary>
    public string? CudaDriverVersion { get; init; }

    public IReadOnlyList<GpuInfo> Gpus { get; init; } = [];

    /// <summary>NVML calls about the whole system that failed, in words; each GPU lists its own.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public required MachineMemory Machine { get; init; }

    public required TorchCudaView Torch { get; init; }

    public int ProcessId { get; init; }

    /// <summary>GPU memory NVML lists for this process, on all GPUs; null when it holds none (or NVML cannot see it).</summary>
    public long? ThisProcessGpuBytes
    {
        get
        {
            var mine = Gpus.SelectMany(g => g.Processes).Where(p => p.Pid == ProcessId && p.UsedBytes is not null).ToList();
            return mine.Count == 0 ? null : mine.Sum(p => p.UsedBytes!.Value);
        }
    }

    /// <summary>Reads NVML (if there is one), the machine's memory, and — unless told not to — what libtorch says.</summary>
    public static GpuReport Read(bool askTorch = true)
    {
        var torch = askTorch ? TorchCudaView.Read() : TorchCudaView.NotAsked;
        using var nvml = NativeNvml.TryLoad(out var reason);
        return Read(nvml, reason, ProcessName, MachineMemory.Read(), torch, Environment.ProcessId);
    }

    internal static GpuReport Read(INvml? nvml, string? missingReason, Func<int, string?> processName, MachineMemory machine, TorchCudaView torch, int processId)
    {
        var reading = nvml is null
            ? new NvmlReading(false, missingReason ?? "no NVIDIA driver", null, null, [], [])
            : NvmlReader.Read(nvml, processName);
        return new GpuReport
        {
            Available = reading.Available,
            Reason = reading.Reason,
            DriverVersion = reading.DriverVersion,
            CudaDriverVersion = reading.CudaDriverVersion,
            Gpus = reading.Gpus,
            Problems = reading.Problems,
            Machine = machine,
            Torch = torch,
            ProcessId = processId,
        };
    }

    /// <summary>One row per GPU; memory in bytes, power in watts.</summary>
    public DataFrame ToDataFrame() => new(
        new Int32DataFrameColumn("GPU", Gpus.Select(g => g.Index)),
        new StringDataFrameColumn("Name", Gpus.Select(g => g.Name)),
        new Int64DataFrameColumn("Total bytes", Gpus.Select(g => g.MemoryTotalBytes)),
        new Int64DataFrameColumn("Used bytes", Gpus.Select(g => g.MemoryUsedBytes)),
        new Int64DataFrameColumn("Free bytes", Gpus.Select(g => g.MemoryFreeBytes)),
        new Int32DataFrameColumn("GPU util %", Gpus.Select(g => g.UtilizationPercent)),
        new Int32DataFrameColumn("Temperature °C", Gpus.Select(g => g.TemperatureCelsius)),
        new DoubleDataFrameColumn("Power W", Gpus.Select(g => g.PowerDrawWatts)),
        new DoubleDataFrameColumn("Power limit W", Gpus.Select(g => g.PowerLimitWatts)),
        new StringDataFrameColumn("Compute capability", Gpus.Select(g => g.ComputeCapability?.ToString() ?? "")),
        new Int32DataFrameColumn("Processes", Gpus.Select(g => g.Processes.Count)));

    /// <summary>A stacked bar per GPU: memory used and free (without a GPU, the machine's RAM instead).</summary>
    public Figure Chart() => MemoryCharts.GpuMemory(this);

    /// <summary>An nvidia-smi–like table of GPUs and processes, then RAM and libtorch.</summary>
    public string ToHtml() => GpuReportHtml.Render(this);

    /// <summary>nvidia-smi's summary as plain text, for terminals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (!Available)
        {
            text.AppendLine($"No NVIDIA GPU: {Reason}.");
            if (DriverVersion is not null) text.AppendLine($"NVIDIA driver {DriverVersion}, CUDA {CudaDriverVersion ?? "?"}");
        }
        else
        {
            text.AppendLine($"NVIDIA driver {DriverVersion ?? "?"}, CUDA {CudaDriverVersion ?? "?"}");
            text.AppendLine($"{"GPU",3}  {"Name",-26}  {"Memory used / total",-29}  {"Util",4}  {"Temp",4}  {"Power / cap",-13}  CC");
            foreach (var g in Gpus)
                text.AppendLine($"{g.Index,3}  {g.Name,-26}  {Format.UsedOfTotal(g.MemoryUsedBytes, g.MemoryTotalBytes),-29}  {Format.Percent(g.UtilizationPercent),4}  {Format.Celsius(g.TemperatureCelsius),4}  {Format.Power(g.PowerDrawWatts, g.PowerLimitWatts),-13}  {g.ComputeCapability?.ToString() ?? "?"}");
            var processes = Gpus.SelectMany(g => g.Processes.Select(p => (g.Index, p))).ToList();
            text.AppendLine(processes.Count == 0 ? "No process holds GPU memory." : $"{"GPU",3}  {"PID",8}  {"Type",4}  {"Process",-30}  GPU memory");
            foreach (var (index, p) in processes)
                text.AppendLine($"{index,3}  {p.Pid,8}  {p.Type,4}  {Format.ProcessName(p, ProcessId),-30}  {Format.Bytes(p.UsedBytes)}");
        }
        foreach (var problem in Problems.Concat(Gpus.SelectMany(g => g.Problems.Select(p => $"GPU {g.Index}: {p}"))))
            text.AppendLine($"! {problem}");
        text.AppendLine(Format.Machine(Machine));
        text.AppendLine(Format.Torch(Torch, ThisProcessGpuBytes, Available));
        return text.ToString();
    }

    /// <summary>The command line where this process may read it (Linux /proc), else the process name; null when hidden.</summary>
    private static string? ProcessName(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var command = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
                return command.Length > 0 ? command : File.ReadAllText($"/proc/{pid}/comm").Trim();
            }
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return null; // another pid namespace (a container) or another user's process
        }
    }

    /// <summary>The few phrasings the text and HTML forms share.</summary>
    internal static class Format
    {
        public static string Bytes(long? bytes) => bytes is { } b ? Units.Bytes(b) : "?";

        public static string UsedOfTotal(long? used, long? total) =>
            $"{Bytes(used)} / {Bytes(total)}" + (used is { } u && total is { } t && t > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * u / t:0}%)") : "");

        public static string Percent(int? value) => value is { } v ? $"{v}%" : "?";

        public static string Celsius(int? value) => value is { } v ? $"{v}°C" : "?";

        public static string Power(double? draw, double? limit) =>
            string.Create(CultureInfo.InvariantCulture, $"{(draw is { } d ? $"{d:0}W" : "?")} / {(limit is { } l ? $"{l:0}W" : "?")}");

        public static string ProcessName(GpuProcess p, int self) =>
            (p.Name ?? "(not visible from here)") + (p.Pid == self ? " (this process)" : "");

        public static string Machine(MachineMemory m) =>
            $"RAM: {Bytes(m.RamTotalBytes)} total, {Bytes(m.RamAvailableBytes)} available. " +
            $"This process: {Bytes(m.ProcessWorkingSetBytes)} resident, {Bytes(m.ProcessPeakBytes)} at peak, {Units.Bytes(m.ManagedHeapBytes)} of it .NET objects.";

        public static string Torch(TorchCudaView torch, long? thisProcessGpu, bool gpus)
        {
            var said = torch.CudaAvailable is { } available
                ? $"libtorch: torch.cuda.is_available() = {(available ? "true" : "false")}, device_count() = {torch.DeviceCount}. "
                : "";
            var held = thisProcessGpu is { } bytes ? $" NVML lists this process with {Units.Bytes(bytes)} of GPU memory."
                : gpus ? " NVML lists no GPU memory for this process." : "";
            return said + torch.Note + held;
        }
    }
}
