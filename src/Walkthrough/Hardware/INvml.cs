using System.Runtime.InteropServices;

namespace Walkthrough.Hardware;

/// <summary>
/// The NVML calls the kit makes, one method per C function, each returning NVML's status code (0 = success).
/// <see cref="NativeNvml"/> calls the real library; tests use a fake, so everything that reads these answers is
/// tested without a GPU.
/// </summary>
internal interface INvml
{
    int Init();                                                     // nvmlInit_v2

    int Shutdown();                                                 // nvmlShutdown

    string ErrorString(int status);                                 // nvmlErrorString

    int SystemGetDriverVersion(out string version);                 // nvmlSystemGetDriverVersion

    int SystemGetCudaDriverVersion(out int version);                // nvmlSystemGetCudaDriverVersion_v2: 12020 = 12.2

    int DeviceGetCount(out uint count);                             // nvmlDeviceGetCount_v2

    int DeviceGetHandleByIndex(uint index, out IntPtr device);      // nvmlDeviceGetHandleByIndex_v2

    int DeviceGetName(IntPtr device, out string name);              // nvmlDeviceGetName

    int DeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);  // nvmlDeviceGetMemoryInfo: bytes

    int DeviceGetUtilizationRates(IntPtr device, out NvmlUtilization utilization);

    int DeviceGetTemperature(IntPtr device, out uint celsius);      // sensor NVML_TEMPERATURE_GPU

    int DeviceGetPowerUsage(IntPtr device, out uint milliwatts);

    int DeviceGetEnforcedPowerLimit(IntPtr device, out uint milliwatts);

    int DeviceGetCudaComputeCapability(IntPtr device, out int major, out int minor);

    /// <summary>
    /// nvmlDeviceGetComputeRunningProcesses_v3 (graphics: nvmlDeviceGetGraphicsRunningProcesses_v3). Called with
    /// <paramref name="processes"/> too small it returns <see cref="NvmlStatus.InsufficientSize"/> and sets
    /// <paramref name="count"/> to the number needed.
    /// </summary>
    int DeviceGetRunningProcesses(IntPtr device, bool graphics, ref uint count, NvmlProcess[] processes);
}

/// <summary>nvmlMemory_t: bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}

/// <summary>nvmlUtilization_t: percent of the last sample period the GPU computed / read or wrote memory.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}

/// <summary>nvmlProcessInfo_t (v2 and v3 share it): the process and the GPU memory it holds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcess
{
    public uint Pid;
    public ulong UsedGpuMemory; // bytes; ulong.MaxValue (NVML_VALUE_NOT_AVAILABLE) where the driver will not say
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}
