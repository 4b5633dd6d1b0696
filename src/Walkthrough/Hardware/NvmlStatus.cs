namespace Walkthrough.Hardware;

/// <summary>NVML's status codes (nvmlReturn_t) that the kit acts on or explains.</summary>
internal static class NvmlStatus
{
    public const int Success = 0;
    public const int NotSupported = 3;
    public const int NoPermission = 4;
    public const int InsufficientSize = 7;
    public const int DriverNotLoaded = 9;
    public const int FunctionNotFound = 13;
    public const int GpuIsLost = 15;
    public const int LibraryVersionMismatch = 18;

    /// <summary>
    /// "nvmlDeviceGetPowerUsage: Not Supported (NVML status 3)". NVML's own words where the library gives them,
    /// then what the status usually means for a learner.
    /// </summary>
    public static string Describe(INvml nvml, string call, int status)
    {
        var words = nvml.ErrorString(status);
        var hint = status switch
        {
            NotSupported => " — this GPU or driver does not report it",
            NoPermission => " — this user may not ask; try as an administrator",
            DriverNotLoaded => " — the NVIDIA kernel driver is not running",
            FunctionNotFound => " — the driver is older than this call",
            GpuIsLost => " — the GPU fell off the bus; it needs a reset",
            LibraryVersionMismatch => " — the NVML library and the kernel driver differ in version; reboot after a driver update",
            _ => "",
        };
        return $"{call}: {words} (NVML status {status}){hint}";
    }
}
