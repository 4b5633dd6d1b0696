using System.Runtime.InteropServices;
using System.Text;

namespace Walkthrough.Hardware;

/// <summary>
/// NVIDIA's management library — what nvidia-smi itself calls — found at run time, so the kit loads and runs on a
/// machine without it. Each function is looked up by name when first needed; one that this driver lacks answers
/// <see cref="NvmlStatus.FunctionNotFound"/> like any other failed call.
/// </summary>
internal sealed class NativeNvml : INvml, IDisposable
{
    private readonly IntPtr _library;

    private NativeNvml(IntPtr library) => _library = library;

    /// <summary>The library's file name on this operating system; null on macOS, which has no NVIDIA driver.</summary>
    public static string? LibraryName =>
        OperatingSystem.IsWindows() ? "nvml.dll" : OperatingSystem.IsLinux() ? "libnvidia-ml.so.1" : null;

    /// <summary>Loads NVML, or says why it cannot: "no NVIDIA driver: libnvidia-ml.so.1 not found".</summary>
    public static NativeNvml? TryLoad(out string? reason)
    {
        reason = null;
        if (LibraryName is not { } name)
        {
            reason = $"no NVIDIA driver: {RuntimeInformation.OSDescription} has no NVML";
            return null;
        }
        // Older Windows drivers install nvml.dll beside nvidia-smi instead of in System32.
        var nvsmi = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "NVIDIA Corporation", "NVSMI", name);
        if (NativeLibrary.TryLoad(name, out var library) || (OperatingSystem.IsWindows() && NativeLibrary.TryLoad(nvsmi, out library)))
            return new NativeNvml(library);
        reason = $"no NVIDIA driver: {name} not found";
        return null;
    }

    public void Dispose() => NativeLibrary.Free(_library);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NoArguments();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr ErrorStringFunction(int status);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int TextFunction([Out] byte[] buffer, uint length);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int IntFunction(out int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int UIntFunction(out uint value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int HandleFunction(uint index, out IntPtr device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceTextFunction(IntPtr device, [Out] byte[] buffer, uint length);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceUIntFunction(IntPtr device, out uint value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceSensorFunction(IntPtr device, int sensor, out uint value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceMemoryFunction(IntPtr device, out NvmlMemory memory);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceUtilizationFunction(IntPtr device, out NvmlUtilization utilization);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceCapabilityFunction(IntPtr device, out int major, out int minor);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DeviceProcessesFunction(IntPtr device, ref uint count, [In, Out] NvmlProcess[]? processes);

    private const int TemperatureGpu = 0; // NVML_TEMPERATURE_GPU: the die sensor nvidia-smi shows

    public int Init() => Call<NoArguments>("nvmlInit_v2", f => f());

    public int Shutdown() => Call<NoArguments>("nvmlShutdown", f => f());

    public string ErrorString(int status) => Function<ErrorStringFunction>("nvmlErrorString") is { } f
        ? Marshal.PtrToStringAnsi(f(status)) ?? $"status {status}"
        : $"status {status}";

    public int SystemGetDriverVersion(out string version) => ReadText("nvmlSystemGetDriverVersion", out version);

    public int SystemGetCudaDriverVersion(out int version)
    {
        var value = 0;
        var status = Call<IntFunction>("nvmlSystemGetCudaDriverVersion_v2", f => f(out value));
        version = value;
        return status;
    }

    public int DeviceGetCount(out uint count)
    {
        uint value = 0;
        var status = Call<UIntFunction>("nvmlDeviceGetCount_v2", f => f(out value));
        count = value;
        return status;
    }

    public int DeviceGetHandleByIndex(uint index, out IntPtr device)
    {
        var value = IntPtr.Zero;
        var status = Call<HandleFunction>("nvmlDeviceGetHandleByIndex_v2", f => f(index, out value));
        device = value;
        return status;
    }

    public int DeviceGetName(IntPtr device, out string name)
    {
        var buffer = new byte[96]; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
        var status = Call<DeviceTextFunction>("nvmlDeviceGetName", f => f(device, buffer, (uint)buffer.Length));
        name = status == NvmlStatus.Success ? Text(buffer) : "";
        return status;
    }

    public int DeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory)
    {
        NvmlMemory value = default;
        var status = Call<DeviceMemoryFunction>("nvmlDeviceGetMemoryInfo", f => f(device, out value));
        memory = value;
        return status;
    }

    public int DeviceGetUtilizationRates(IntPtr device, out NvmlUtilization utilization)
    {
        NvmlUtilization value = default;
        var status = Call<DeviceUtilizationFunction>("nvmlDeviceGetUtilizationRates", f => f(device, out value));
        utilization = value;
        return status;
    }

    public int DeviceGetTemperature(IntPtr device, out uint celsius)
    {
        uint value = 0;
        var status = Call<DeviceSensorFunction>("nvmlDeviceGetTemperature", f => f(device, TemperatureGpu, out value));
        celsius = value;
        return status;
    }

    public int DeviceGetPowerUsage(IntPtr device, out uint milliwatts) => DeviceUInt("nvmlDeviceGetPowerUsage", device, out milliwatts);

    public int DeviceGetEnforcedPowerLimit(IntPtr device, out uint milliwatts) => DeviceUInt("nvmlDeviceGetEnforcedPowerLimit", device, out milliwatts);

    public int DeviceGetCudaComputeCapability(IntPtr device, out int major, out int minor)
    {
        int a = 0, b = 0;
        var status = Call<DeviceCapabilityFunction>("nvmlDeviceGetCudaComputeCapability", f => f(device, out a, out b));
        (major, minor) = (a, b);
        return status;
    }

    public int DeviceGetRunningProcesses(IntPtr device, bool graphics, ref uint count, NvmlProcess[] processes)
    {
        // _v3 (drivers from 510) and _v2 fill the same struct; the unversioned call fills an older, smaller one.
        var name = graphics ? "nvmlDeviceGetGraphicsRunningProcesses" : "nvmlDeviceGetComputeRunningProcesses";
        if ((Function<DeviceProcessesFunction>(name + "_v3") ?? Function<DeviceProcessesFunction>(name + "_v2")) is not { } function)
            return NvmlStatus.FunctionNotFound;
        return function(device, ref count, processes.Length == 0 ? null : processes);
    }

    private int DeviceUInt(string name, IntPtr device, out uint result)
    {
        uint value = 0;
        var status = Call<DeviceUIntFunction>(name, f => f(device, out value));
        result = value;
        return status;
    }

    private int ReadText(string name, out string text)
    {
        var buffer = new byte[96]; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE is 80
        var status = Call<TextFunction>(name, f => f(buffer, (uint)buffer.Length));
        text = status == NvmlStatus.Success ? Text(buffer) : "";
        return status;
    }

    private int Call<TDelegate>(string name, Func<TDelegate, int> call) where TDelegate : Delegate =>
        Function<TDelegate>(name) is { } function ? call(function) : NvmlStatus.FunctionNotFound;

    private TDelegate? Function<TDelegate>(string name) where TDelegate : Delegate =>
        NativeLibrary.TryGetExport(_library, name, out var address) ? Marshal.GetDelegateForFunctionPointer<TDelegate>(address) : null;

    private static string Text(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }
}
