using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Walkthrough.Hardware;

/// <summary>
/// The machine's RAM and what this process holds of it — where a model's weights sit when there is no GPU, and
/// where they pass through on their way to one. Read from /proc on Linux, from the OS on Windows, and from .NET's
/// garbage collector on macOS; a figure the system will not give is null.
/// </summary>
public sealed record MachineMemory(
    long? RamTotalBytes,
    long? RamAvailableBytes,
    long? ProcessWorkingSetBytes,
    long? ProcessPeakBytes,
    long ManagedHeapBytes,
    string Source)
{
    public static MachineMemory Read() =>
        OperatingSystem.IsLinux() && File.Exists("/proc/meminfo") ? FromProc(File.ReadAllText("/proc/meminfo"), File.ReadAllText("/proc/self/status"))
        : OperatingSystem.IsWindows() ? FromWindows()
        : FromRuntime();

    /// <summary>/proc/meminfo's MemTotal and MemAvailable; /proc/self/status's VmRSS (resident now) and VmHWM (peak).</summary>
    internal static MachineMemory FromProc(string meminfo, string status) => new(
        Kilobytes(meminfo, "MemTotal"),
        Kilobytes(meminfo, "MemAvailable"),
        Kilobytes(status, "VmRSS"),
        Kilobytes(status, "VmHWM"),
        GC.GetTotalMemory(forceFullCollection: false),
        "/proc/meminfo, /proc/self/status");

    // Lines read "MemTotal:       32774560 kB".
    private static long? Kilobytes(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var value = line[(key.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
        }
        return null;
    }

    private static MachineMemory FromWindows()
    {
        var status = new MemoryStatusEx { Length = (uint)Marshal.SizeOf<MemoryStatusEx>() };
        var known = GlobalMemoryStatusEx(ref status);
        using var process = Process.GetCurrentProcess();
        return new MachineMemory(
            known ? (long)status.TotalPhysical : null,
            known ? (long)status.AvailablePhysical : null,
            process.WorkingSet64,
            process.PeakWorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            "GlobalMemoryStatusEx, Process");
    }

    // macOS and others: the runtime knows the physical memory (or a container's limit) and, after a collection,
    // how much of it the machine was using.
    private static MachineMemory FromRuntime()
    {
        var info = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return new MachineMemory(
            info.TotalAvailableMemoryBytes > 0 ? info.TotalAvailableMemoryBytes : null,
            info.MemoryLoadBytes > 0 ? info.TotalAvailableMemoryBytes - info.MemoryLoadBytes : null,
            process.WorkingSet64 > 0 ? process.WorkingSet64 : null,
            process.PeakWorkingSet64 > 0 ? process.PeakWorkingSet64 : null,
            GC.GetTotalMemory(forceFullCollection: false),
            "GC.GetGCMemoryInfo, Process");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryStatusEx
    {
        public uint Length;
        public uint MemoryLoad;
        public ulong TotalPhysical;
        public ulong AvailablePhysical;
        public ulong TotalPageFile;
        public ulong AvailablePageFile;
        public ulong TotalVirtual;
        public ulong AvailableVirtual;
        public ulong AvailableExtendedVirtual;
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GlobalMemoryStatusEx(ref MemoryStatusEx status);
}
