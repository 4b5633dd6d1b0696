using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PeerBench.Peers;

/// <summary>
/// Three clocks around one measured call: wall time, the calling thread's CPU time and the process's. At 1 thread
/// the work runs on the calling thread, and its CPU time is what a busy shared machine disturbs least.
/// </summary>
internal readonly record struct Measured(double WallSeconds, double ThreadCpuSeconds, double ProcessCpuSeconds)
{
    public static Measured Of(Action work)
    {
        var process = Process.GetCurrentProcess();
        var (thread0, process0) = (CpuClock.Thread(), process.TotalProcessorTime.TotalSeconds);
        var clock = Stopwatch.StartNew();
        work();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Measured(wall, CpuClock.Thread() - thread0, process.TotalProcessorTime.TotalSeconds - process0);
    }
}

internal static partial class CpuClock
{
    private const int ThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)

    /// <summary>Seconds of CPU time the calling thread has used.</summary>
    public static double Thread()
    {
        if (clock_gettime(ThreadCpuTimeId, out var time) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out Timespec time);
}
