using Walkthrough.Hardware;

namespace Walkthrough.Tests.Hardware;

/// <summary>
/// NVML's C functions played by a dictionary: each fake GPU answers like the real library, and any call can be
/// made to fail with a status code. The process lists follow NVML's two-step protocol (InsufficientSize first).
/// </summary>
internal sealed class FakeNvml : INvml
{
    public sealed record FakeGpu(string Name, ulong Total, ulong Used)
    {
        public uint Utilization { get; init; }
        public uint MemoryUtilization { get; init; }
        public uint Temperature { get; init; } = 34;
        public uint PowerMilliwatts { get; init; } = 41_000;
        public uint LimitMilliwatts { get; init; } = 300_000;
        public (int Major, int Minor) Capability { get; init; } = (7, 0);
        public NvmlProcess[] Compute { get; init; } = [];
        public NvmlProcess[] Graphics { get; init; } = [];
    }

    public List<FakeGpu> Gpus { get; } = [];

    /// <summary>C function name → the status it returns instead of answering.</summary>
    public Dictionary<string, int> Failures { get; } = [];

    public string DriverVersion { get; init; } = "535.104.05";

    public int CudaVersion { get; init; } = 12020;

    public bool ShutDown { get; private set; }

    public int ProcessCalls { get; private set; }

    public int Init() => Status("nvmlInit_v2");

    public int Shutdown()
    {
        ShutDown = true;
        return 0;
    }

    public string ErrorString(int status) => status switch
    {
        3 => "Not Supported",
        9 => "Driver Not Loaded",
        999 => "Unknown Error",
        _ => $"Error {status}",
    };

    public int SystemGetDriverVersion(out string version)
    {
        version = DriverVersion;
        return Status("nvmlSystemGetDriverVersion");
    }

    public int SystemGetCudaDriverVersion(out int version)
    {
        version = CudaVersion;
        return Status("nvmlSystemGetCudaDriverVersion_v2");
    }

    public int DeviceGetCount(out uint count)
    {
        count = (uint)Gpus.Count;
        return Status("nvmlDeviceGetCount_v2");
    }

    public int DeviceGetHandleByIndex(uint index, out IntPtr device)
    {
        device = (IntPtr)(index + 1); // handles are opaque; 0 would look like a null pointer
        return Status("nvmlDeviceGetHandleByIndex_v2");
    }

    public int DeviceGetName(IntPtr device, out string name)
    {
        name = Gpu(device).Name;
        return Status("nvmlDeviceGetName");
    }

    public int DeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory)
    {
        var gpu = Gpu(device);
        memory = new NvmlMemory { Total = gpu.Total, Used = gpu.Used, Free = gpu.Total - gpu.Used };
        return Status("nvmlDeviceGetMemoryInfo");
    }

    public int DeviceGetUtilizationRates(IntPtr device, out NvmlUtilization utilization)
    {
        utilization = new NvmlUtilization { Gpu = Gpu(device).Utilization, Memory = Gpu(device).MemoryUtilization };
        return Status("nvmlDeviceGetUtilizationRates");
    }

    public int DeviceGetTemperature(IntPtr device, out uint celsius)
    {
        celsius = Gpu(device).Temperature;
        return Status("nvmlDeviceGetTemperature");
    }

    public int DeviceGetPowerUsage(IntPtr device, out uint milliwatts)
    {
        milliwatts = Gpu(device).PowerMilliwatts;
        return Status("nvmlDeviceGetPowerUsage");
    }

    public int DeviceGetEnforcedPowerLimit(IntPtr device, out uint milliwatts)
    {
        milliwatts = Gpu(device).LimitMilliwatts;
        return Status("nvmlDeviceGetEnforcedPowerLimit");
    }

    public int DeviceGetCudaComputeCapability(IntPtr device, out int major, out int minor)
    {
        (major, minor) = Gpu(device).Capability;
        return Status("nvmlDeviceGetCudaComputeCapability");
    }

    public int DeviceGetRunningProcesses(IntPtr device, bool graphics, ref uint count, NvmlProcess[] processes)
    {
        ProcessCalls++;
        var name = graphics ? "nvmlDeviceGetGraphicsRunningProcesses_v3" : "nvmlDeviceGetComputeRunningProcesses_v3";
        if (Failures.TryGetValue(name, out var failure)) return failure;
        var list = graphics ? Gpu(device).Graphics : Gpu(device).Compute;
        if (count < list.Length)
        {
            count = (uint)list.Length;
            return list.Length == 0 ? 0 : 7; // NVML_ERROR_INSUFFICIENT_SIZE
        }
        list.CopyTo(processes, 0);
        count = (uint)list.Length;
        return 0;
    }

    private FakeGpu Gpu(IntPtr device) => Gpus[(int)device - 1];

    private int Status(string call) => Failures.GetValueOrDefault(call, 0);
}
