using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// libtorch multiplies float32 matrices on the CPU with Intel's MKL, which picks its code by the CPU's vendor: on an
/// AMD CPU it takes a generic path (mkl_blas_def_*) although the CPU has the same AVX2 and AVX-512 instructions. A
/// decode step is mostly matrix-vector products, and that path ran them 1.4–2× slower here (AMD EPYC, 1 thread:
/// TinyLlama's 5,632 × 2,048 projection 1.91 → 1.09 ms, its 32,000 × 2,048 head 12.8 → 7.3 ms). MKL asks one
/// exported function, mkl_serv_intel_cpu_true, whether the CPU is Intel's; answering yes lets it choose by the
/// instructions the CPU reports instead. This is done in this process's memory only (no file changes), before the
/// first product, on x86-64 Linux with an AMD CPU that has AVX2; WALKTHROUGH_MKL_VENDOR_CHECK=keep leaves MKL as it is.
/// </summary>
internal static class MklVendorCheck
{
    public const string Variable = "WALKTHROUGH_MKL_VENDOR_CHECK";

    private static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3]; // mov eax, 1; ret

    /// <summary>Answers MKL's vendor test with yes where that helps; says what it did, or why not (null: not applicable).</summary>
    public static string? Apply(string? libTorchCpu)
    {
        if (libTorchCpu is null || !RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return null;
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").Take(40).ToList() : [];
        if (!cpu.Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal) && l.Contains("AuthenticAMD", StringComparison.Ordinal)))
            return null;
        if (!cpu.Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains("avx2")))
            return "MKL's generic path (this AMD CPU has no AVX2)";
        if (Environment.GetEnvironmentVariable(Variable) == "keep")
            return $"MKL's generic path on this AMD CPU ({Variable}=keep)";
        if (!NativeLibrary.TryLoad(libTorchCpu, out var library) || !NativeLibrary.TryGetExport(library, "mkl_serv_intel_cpu_true", out var function))
            return "MKL's generic path on this AMD CPU (this libtorch has no mkl_serv_intel_cpu_true)";
        var page = Environment.SystemPageSize;
        var start = function & ~(nint)(page - 1);
        var length = (nuint)(function + ReturnOne.Length - start);
        if (mprotect(start, length, Read | Write | Execute) != 0)
            return $"MKL's generic path on this AMD CPU (the system refused to change its code: errno {Marshal.GetLastPInvokeError()})";
        Marshal.Copy(ReturnOne, 0, function, ReturnOne.Length);
        mprotect(start, length, Read | Execute);
        return "MKL's AVX2/AVX-512 code on this AMD CPU (its vendor test answered in memory; set WALKTHROUGH_MKL_VENDOR_CHECK=keep to leave it)";
    }

    private const int Read = 1;
    private const int Write = 2;
    private const int Execute = 4;

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);
}
