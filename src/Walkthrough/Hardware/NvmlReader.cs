using System.Globalization;

namespace Walkthrough.Hardware;

/// <summary>What NVML said about the machine's GPUs: the GPUs, or the reason there are none.</summary>
internal sealed record NvmlReading(
    bool Available,
    string? Reason,
    string? DriverVersion,
    string? CudaDriverVersion,
    IReadOnlyList<GpuInfo> Gpus,
    IReadOnlyList<string> Problems);

/// <summary>
/// Asks NVML what nvidia-smi shows and turns its answers into <see cref="GpuInfo"/> records. A call that fails
/// leaves its value null and adds a sentence to the problems; only a failed start or count means "no GPU".
/// </summary>
internal static class NvmlReader
{
    private const ulong NotAvailable = ulong.MaxValue; // NVML_VALUE_NOT_AVAILABLE

    public static NvmlReading Read(INvml nvml, Func<int, string?> processName)
    {
        var status = nvml.Init();
        if (status != NvmlStatus.Success)
            return None($"NVML could not start: {NvmlStatus.Describe(nvml, "nvmlInit_v2", status)}");
        try
        {
            var problems = new List<string>();
            var driver = Ask(problems, nvml, "nvmlSystemGetDriverVersion", nvml.SystemGetDriverVersion(out var version), version);
            var cudaVersion = Ask<int?>(problems, nvml, "nvmlSystemGetCudaDriverVersion_v2", nvml.SystemGetCudaDriverVersion(out var v), v);
            var cuda = cudaVersion is { } c ? CudaVersion(c) : null;
            status = nvml.DeviceGetCount(out var count);
            if (status != NvmlStatus.Success)
                return None($"NVML could not count the GPUs: {NvmlStatus.Describe(nvml, "nvmlDeviceGetCount_v2", status)}") with { DriverVersion = driver, CudaDriverVersion = cuda };
            if (count == 0)
                return None("the NVIDIA driver is installed but sees no GPU") with { DriverVersion = driver, CudaDriverVersion = cuda };
            var gpus = Enumerable.Range(0, (int)count).Select(i => Device(nvml, i, processName)).ToList();
            return new NvmlReading(true, null, driver, cuda, gpus, problems);
        }
        finally
        {
            nvml.Shutdown();
        }
    }

    private static NvmlReading None(string reason) => new(false, reason, null, null, [], []);

    private static GpuInfo Device(INvml nvml, int index, Func<int, string?> processName)
    {
        var problems = new List<string>();
        var status = nvml.DeviceGetHandleByIndex((uint)index, out var device);
        if (status != NvmlStatus.Success)
            return new GpuInfo(index, "(unknown)") { Problems = [NvmlStatus.Describe(nvml, "nvmlDeviceGetHandleByIndex_v2", status)] };

        var name = Ask(problems, nvml, "nvmlDeviceGetName", nvml.DeviceGetName(device, out var n), n) ?? "(unknown)";
        var memory = Ask<NvmlMemory?>(problems, nvml, "nvmlDeviceGetMemoryInfo", nvml.DeviceGetMemoryInfo(device, out var m), m);
        var utilization = Ask<NvmlUtilization?>(problems, nvml, "nvmlDeviceGetUtilizationRates", nvml.DeviceGetUtilizationRates(device, out var u), u);
        var temperature = Ask<uint?>(problems, nvml, "nvmlDeviceGetTemperature", nvml.DeviceGetTemperature(device, out var t), t);
        var power = Ask<uint?>(problems, nvml, "nvmlDeviceGetPowerUsage", nvml.DeviceGetPowerUsage(device, out var p), p);
        var limit = Ask<uint?>(problems, nvml, "nvmlDeviceGetEnforcedPowerLimit", nvml.DeviceGetEnforcedPowerLimit(device, out var l), l);
        status = nvml.DeviceGetCudaComputeCapability(device, out var major, out var minor);
        if (status != NvmlStatus.Success) problems.Add(NvmlStatus.Describe(nvml, "nvmlDeviceGetCudaComputeCapability", status));

        return new GpuInfo(index, name)
        {
            MemoryTotalBytes = (long?)memory?.Total,
            MemoryUsedBytes = (long?)memory?.Used,
            MemoryFreeBytes = (long?)memory?.Free,
            UtilizationPercent = (int?)utilization?.Gpu,
            MemoryUtilizationPercent = (int?)utilization?.Memory,
            TemperatureCelsius = (int?)temperature,
            PowerDrawWatts = power / 1000.0,
            PowerLimitWatts = limit / 1000.0,
            ComputeCapability = status == NvmlStatus.Success ? new Version(major, minor) : null,
            Processes = Processes(nvml, device, processName, problems),
            Problems = problems,
        };
    }

    /// <summary>Compute and graphics processes, merged by process id as nvidia-smi shows them (C, G or C+G).</summary>
    private static List<GpuProcess> Processes(INvml nvml, IntPtr device, Func<int, string?> processName, List<string> problems)
    {
        var compute = RunningProcesses(nvml, device, graphics: false, problems);
        var graphics = RunningProcesses(nvml, device, graphics: true, problems);
        return compute.Select(p => (p, Type: graphics.Any(g => g.Pid == p.Pid) ? "C+G" : "C"))
            .Concat(graphics.Where(g => compute.All(c => c.Pid != g.Pid)).Select(p => (p, Type: "G")))
            .Select(x => new GpuProcess((int)x.p.Pid, processName((int)x.p.Pid),
                x.p.UsedGpuMemory == NotAvailable ? null : (long)x.p.UsedGpuMemory, x.Type))
            .OrderBy(p => p.Pid)
            .ToList();
    }

    // NVML's two-step protocol: ask with room for none to learn the count, then again with room (plus a few, since
    // processes may start in between).
    private static NvmlProcess[] RunningProcesses(INvml nvml, IntPtr device, bool graphics, List<string> problems)
    {
        var call = graphics ? "nvmlDeviceGetGraphicsRunningProcesses_v3" : "nvmlDeviceGetComputeRunningProcesses_v3";
        uint count = 0;
        var status = nvml.DeviceGetRunningProcesses(device, graphics, ref count, []);
        for (var attempt = 0; status == NvmlStatus.InsufficientSize && attempt < 3; attempt++)
        {
            var buffer = new NvmlProcess[count + 8];
            count = (uint)buffer.Length;
            status = nvml.DeviceGetRunningProcesses(device, graphics, ref count, buffer);
            if (status == NvmlStatus.Success) return buffer[..(int)count];
        }
        if (status == NvmlStatus.Success) return [];
        problems.Add(NvmlStatus.Describe(nvml, call, status));
        return [];
    }

    /// <summary>12020 → "12.2", as nvidia-smi prints "CUDA Version".</summary>
    internal static string CudaVersion(int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version / 1000}.{version % 1000 / 10}");

    private static T? Ask<T>(List<string> problems, INvml nvml, string call, int status, T value)
    {
        if (status == NvmlStatus.Success) return value;
        problems.Add(NvmlStatus.Describe(nvml, call, status));
        return default;
    }
}
