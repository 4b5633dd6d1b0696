using PeerBench.Peers;
using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

/// <summary>
/// The MKL vendor-test answer: it recognises only the exact function libtorch 2.10's MKL has, and the kit computes the
/// same logits with it as without (each way in a process of its own, since MKL picks its path once per process).
/// </summary>
public sealed class MklVendorCheckTests
{
    // mkl_serv_intel_cpu_true as read from libtorch-cpu-linux-x64 2.10.0's libtorch_cpu.so (objdump -d), displacements included.
    private const string Shipped =
        "8B051A67980985C07801C353C74424F800000000C74424E8000000008B4424E88B4C24F80FA2894424FC895C24F4894C24F0895424EC" +
        "B847656E75334424F4B96E74656C334C24F009C1BA696E6549335424EC31C009CA0F94C089 05C0669809 5BC3";

    private static byte[] ShippedCode => Convert.FromHexString(Shipped.Replace(" ", ""));

    [Fact]
    public void The_shipped_function_is_recognised_and_its_cached_flag_found_where_both_instructions_point()
    {
        // mov eax, [rip + 0x0998671A] ends at +6; mov [rip + 0x099866C0], eax ends at +0x60: both name +0x09986720.
        Assert.Equal(0x09986720, MklVendorCheck.FlagOffset(ShippedCode));
    }

    [Theory]
    [InlineData(0x37)] // "Genu" of GenuineIntel: a test for another vendor string
    [InlineData(0x24)] // cpuid
    [InlineData(0x0A)] // the early ret
    [InlineData(0x61)] // the last ret
    public void Any_other_byte_and_the_function_is_left_alone(int offset)
    {
        var code = ShippedCode;
        code[offset] ^= 0x01;

        Assert.Null(MklVendorCheck.FlagOffset(code));
    }

    [Fact]
    public void Displacements_naming_two_different_flags_or_too_few_bytes_are_not_recognised()
    {
        var code = ShippedCode;
        code[0x5C] ^= 0x10;

        Assert.Null(MklVendorCheck.FlagOffset(code));
        Assert.Null(MklVendorCheck.FlagOffset(ShippedCode.AsSpan(0, 90)));
    }

    [Fact]
    public void On_an_amd_cpu_with_avx2_the_shipped_libtorch_takes_the_avx_path_and_elsewhere_mkl_is_left_as_it_is()
    {
        var report = TorchRuntime.Describe();

        if (IsAmdWithAvx2)
            Assert.StartsWith("MKL's AVX2/AVX-512 code", report.Mkl);
        else if (!IsAmd)
            Assert.Null(report.Mkl);
    }

    [Fact]
    public void The_bundled_model_gives_the_same_logits_with_mkls_generic_path_and_with_its_avx_path()
    {
        // The benchmark's own build (its copy beside the tests resolves the tests' dependencies, not its own).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var worker = Path.Combine(RepoPaths.Root, "tools", "PeerBench", "bin", configuration, "net10.0", "PeerBench");
        using var answered = PeerProcess.Start("kit", worker, ["worker", "kit", KitData.DefaultModel, "float32"], TimeSpan.FromMinutes(3));
        using var kept = PeerProcess.Start("kit", worker, ["worker", "kit", KitData.DefaultModel, "float32"], TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { [MklVendorCheck.Variable] = "keep" });
        var prompt = Enumerable.Range(0, 48).Select(i => 100 + 37 * i % 5000).ToArray();
        int[] next = [17, 4242, 901, 33];

        var difference = 0.0;
        foreach (var request in new[] { new PeerRequest { Op = "prefill", Ids = prompt } }.Concat(next.Select(id => new PeerRequest { Op = "decode", Ids = [id] })))
        {
            var a = answered.Ask(request, TimeSpan.FromMinutes(1)).LogitValues();
            var b = kept.Ask(request, TimeSpan.FromMinutes(1)).LogitValues();
            Assert.Equal(a.Length, b.Length);
            difference = Math.Max(difference, a.Zip(b).Max(pair => Math.Abs((double)pair.First - pair.Second)));
        }

        if (IsAmdWithAvx2) Assert.Contains("AVX2/AVX-512", answered.Ready.Detail);
        if (IsAmdWithAvx2) Assert.Contains("generic path", kept.Ready.Detail);
        Assert.True(difference < 1e-4, $"max |Δlogit| = {difference}");
    }

    private static string[] CpuInfo => File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").Take(40).ToArray() : [];

    private static bool IsAmd => CpuInfo.Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal) && l.Contains("AuthenticAMD", StringComparison.Ordinal));

    private static bool IsAmdWithAvx2 => OperatingSystem.IsLinux() && IsAmd && CpuInfo.Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains("avx2"));
}
