using System.Runtime.InteropServices;
using TorchSharp;
using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void After_Ensure_a_2x3_by_3x2_matmul_gives_the_hand_computed_product()
    {
        TorchRuntime.Ensure();
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        var b = torch.tensor(new float[] { 7, 8, 9, 10, 11, 12 }).reshape(3, 2);

        var product = a.matmul(b);

        // [1 2 3] · columns (7 9 11), (8 10 12) = 58, 64; [4 5 6] · the same = 139, 154
        Assert.Equal(new long[] { 2, 2 }, product.shape);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, product.data<float>().ToArray());
    }

    [LinuxFact]
    public void After_Ensure_libgomp_is_asked_to_sleep_between_regions_unless_the_user_chose()
    {
        var chosen = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable); // the process's start-up value

        TorchRuntime.Ensure();

        Assert.Equal(string.IsNullOrEmpty(chosen) ? "PASSIVE" : chosen, Marshal.PtrToStringUTF8(getenv(OpenMpWaitPolicy.Variable)));
    }

    [DllImport("libc")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [Fact]
    public void Ensure_from_many_threads_starts_torch_once()
    {
        var reports = Enumerable.Range(0, 16).AsParallel().Select(_ => TorchRuntime.Describe()).ToList();

        Assert.All(reports, report => Assert.Same(reports[0], report));
    }

    [Fact]
    public void The_report_names_libtorch_2_10_and_TorchSharp_0_107()
    {
        var report = TorchRuntime.Describe();

        Assert.Equal("0.107.0", report.TorchSharpVersion);
        Assert.StartsWith("2.10.0", report.LibTorchVersion);
    }

    [LinuxFact]
    public void The_report_names_the_folder_libtorch_cpu_was_loaded_from()
    {
        var report = TorchRuntime.Describe();

        Assert.NotNull(report.LibTorchFolder);
        Assert.True(File.Exists(Path.Combine(report.LibTorchFolder, "libtorch_cpu.so")));
    }

    [LinuxFact]
    public void A_patched_copy_is_loaded_exactly_when_the_system_libstdcxx_lacks_GLIBCXX_3_4_32()
    {
        var systemLacksIt = !NativeFiles.GlibcxxStrings(NativeFiles.SystemLibStdCxx).Contains("GLIBCXX_3.4.32");

        var report = TorchRuntime.Describe();

        Assert.Equal(systemLacksIt, report.Patched);
        if (report.PatchedCopy is { } copy)
        {
            Assert.Contains(Path.Combine("walkthrough", "native"), copy);
            Assert.True(ElfVersionNeeds.Read(ElfFile.Read(copy)).Single(need => need.Version == "GLIBCXX_3.4.32").IsWeak);
            Assert.Contains(copy, File.ReadAllText("/proc/self/maps"));
        }
    }
}
