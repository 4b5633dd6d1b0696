using Walkthrough.Hardware;

namespace Walkthrough.Tests.Hardware;

/// <summary>The real machine: NVML where there is one, the reason where there is none, and RAM either way.</summary>
public sealed class GpuReportTests
{
    [Fact]
    public void Without_nvml_the_report_says_why_and_still_shows_memory()
    {
        using var nvml = NativeNvml.TryLoad(out var reason);
        var report = GpuReport.Read(askTorch: false);

        if (nvml is null)
        {
            Assert.False(report.Available);
            Assert.Equal(reason, report.Reason);
            if (OperatingSystem.IsLinux()) Assert.Equal("no NVIDIA driver: libnvidia-ml.so.1 not found", report.Reason);
            Assert.StartsWith($"No NVIDIA GPU: {reason}.", report.ToString());
            Assert.Contains("No NVIDIA GPU", report.ToHtml());
            Assert.Contains("this machine's RAM", report.Chart().ToHtml());
            Assert.Equal(0, report.ToDataFrame().Rows.Count);
        }
        else
        {
            Assert.True(report.Available || report.Reason is not null);
            Assert.All(report.Gpus, g => Assert.NotEmpty(g.Name));
        }
        Assert.True(report.Machine.RamTotalBytes > 0);
        Assert.True(report.Machine.RamAvailableBytes > 0);
        Assert.True(report.Machine.ProcessWorkingSetBytes > 0);
        Assert.True(report.Machine.ProcessPeakBytes >= report.Machine.ProcessWorkingSetBytes);
        Assert.Equal(Environment.ProcessId, report.ProcessId);
    }

    [Fact]
    public void Proc_files_read_in_bytes()
    {
        var memory = MachineMemory.FromProc(
            "MemTotal:       32774560 kB\nMemFree:         1234567 kB\nMemAvailable:   20000000 kB\n",
            "Name:\tdotnet\nVmPeak:\t 4000000 kB\nVmHWM:\t  300000 kB\nVmRSS:\t  250000 kB\n");

        Assert.Equal(32_774_560L * 1024, memory.RamTotalBytes);
        Assert.Equal(20_000_000L * 1024, memory.RamAvailableBytes);
        Assert.Equal(250_000L * 1024, memory.ProcessWorkingSetBytes);
        Assert.Equal(300_000L * 1024, memory.ProcessPeakBytes);
    }

    [Fact]
    public void Libtorch_says_what_it_can_and_the_report_says_what_it_cannot()
    {
        var torch = TorchCudaView.Read();

        Assert.NotNull(torch.CudaAvailable);
        if (torch.CudaAvailable == false) Assert.Equal(0, torch.DeviceCount);
        Assert.Contains("is_available() and device_count() only", torch.Note);
        Assert.Contains("memory_allocated", torch.Note);
    }
}
