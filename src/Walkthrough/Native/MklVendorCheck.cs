using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// libtorch multiplies float32 matrices on the CPU with Intel's MKL, which picks its code by the CPU's vendor: on an
/// AMD CPU it takes a generic path (mkl_blas_def_*) although the CPU has the same AVX2 and AVX-512 instructions. A
/// decode step is mostly matrix-vector products, and that path ran them 1.4–2× slower here (AMD EPYC, 1 thread:
/// TinyLlama's 5,632 × 2,048 projection 1.91 → 1.09 ms, its 32,000 × 2,048 head 12.8 → 7.3 ms). MKL asks one
/// exported function, mkl_serv_intel_cpu_true, whether the CPU is Intel's, and caches the answer; answering yes lets
/// it choose by the instructions the CPU reports instead (the answer is not used to skip feature checks).
/// <para>
/// Changing a native library's code is done here only when every condition holds, else nothing is touched: x86-64
/// Linux; an AMD CPU with AVX2; the function's 98 bytes are exactly those of the MKL that libtorch 2.10 links (a
/// cached CPUID "GenuineIntel" test, its two flag addresses aside) — any other build is left alone; MKL has not asked
/// yet (its cached flag still unset), so no product has run on the generic path. Only this process's memory changes
/// (the first instruction becomes "return 1"), never a file. <c>WALKTHROUGH_MKL_VENDOR_CHECK=keep</c> leaves MKL as
/// it is. The bundled model's logits with and without it differ by 1.1e-5 at most, float32 rounding (MklVendorCheckTests).
/// </para>
/// </summary>
internal static class MklVendorCheck
{
    public const string Variable = "WALKTHROUGH_MKL_VENDOR_CHECK";

    private const string Function = "mkl_serv_intel_cpu_true";

    private static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3]; // mov eax, 1; ret

    // mkl_serv_intel_cpu_true as libtorch 2.10's MKL has it, 0x00 where a RIP-relative displacement to its cached flag goes:
    //   mov eax, [flag]; test eax, eax; js ask; ret; ask: cpuid(0); eax = (ebx, edx, ecx) == "GenuineIntel"; mov [flag], eax; ret
    private static readonly byte[] Expected = Convert.FromHexString(
        "8B050000000085C07801C353C74424F800000000C74424E8000000008B4424E88B4C24F80FA2894424FC895C24F4894C24F0895424EC" +
        "B847656E75334424F4B96E74656C334C24F009C1BA696E6549335424EC31C009CA0F94C0890500000000" + "5BC3");

    private static readonly int[] Displacements = [2, 0x5C]; // where the two 4-byte displacements to the cached flag lie

    /// <summary>Answers MKL's vendor test with yes where that helps and is safe; says what it did, or why not (null: not applicable).</summary>
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
        if (!NativeLibrary.TryLoad(libTorchCpu, out var library) || !NativeLibrary.TryGetExport(library, Function, out var function))
            return $"MKL's generic path on this AMD CPU (this libtorch has no {Function})";
        var code = new byte[Expected.Length];
        Marshal.Copy(function, code, 0, code.Length);
        if (code.AsSpan(0, ReturnOne.Length).SequenceEqual(ReturnOne))
            return "MKL's AVX2/AVX-512 code on this AMD CPU (its vendor test already answered in this process)";
        if (FlagOffset(code) is not { } flag)
            return $"MKL's generic path on this AMD CPU (this MKL's {Function} is not the one the kit knows, so it is left alone)";
        if (Marshal.ReadInt32(function + flag) >= 0)
            return "MKL's generic path on this AMD CPU (MKL chose its path before the kit loaded it)";
        var page = Environment.SystemPageSize;
        var start = function & ~(nint)(page - 1);
        var length = (nuint)(function + ReturnOne.Length - start);
        if (mprotect(start, length, Read | Write | Execute) != 0)
            return $"MKL's generic path on this AMD CPU (the system refused to change its code: errno {Marshal.GetLastPInvokeError()})";
        Marshal.Copy(ReturnOne, 0, function, ReturnOne.Length); // replaces exactly the first instruction (6 bytes)
        mprotect(start, length, Read | Execute);
        return $"MKL's AVX2/AVX-512 code on this AMD CPU (its vendor test answered in memory; {Variable}=keep leaves it)";
    }

    /// <summary>
    /// Where the cached flag lies from the function's start when <paramref name="code"/> is the known function (both
    /// displacements naming the same flag); null for anything else.
    /// </summary>
    internal static int? FlagOffset(ReadOnlySpan<byte> code)
    {
        if (code.Length < Expected.Length) return null;
        for (var i = 0; i < Expected.Length; i++)
            if (!Displacements.Any(d => i >= d && i < d + 4) && code[i] != Expected[i])
                return null;
        var read = BitConverter.ToInt32(code[2..6]) + 6;          // relative to the end of the first instruction
        var written = BitConverter.ToInt32(code[0x5C..0x60]) + 0x60; // relative to the end of the store
        return read == written ? read : null;
    }

    private const int Read = 1;
    private const int Write = 2;
    private const int Execute = 4;

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);
}
