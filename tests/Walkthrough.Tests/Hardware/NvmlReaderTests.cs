using Walkthrough.Hardware;

namespace Walkthrough.Tests.Hardware;

/// <summary>NVML's answers turned into a report, through a fake of the C functions.</summary>
public sealed class NvmlReaderTests
{
    private const ulong MiB = 1 << 20;
    private const int Self = 4242;

    private static readonly MachineMemory Machine = new(32L << 30, 20L << 30, 200L << 20, 300L << 20, 10L << 20, "test");

    private static GpuReport Read(FakeNvml nvml) =>
        GpuReport.Read(nvml, null, pid => pid == 88467 ? "/usr/bin/python3" : null, Machine, TorchCudaView.NotAsked, Self);

    // The seed's GPU as nvidia-smi printed it: Tesla V100-SXM2-16GB, 34C, 41W / 300W, 16076MiB / 16384MiB, 0%.
    private static FakeNvml SeedV100() => new()
    {
        Gpus =
        {
            new FakeNvml.FakeGpu("Tesla V100-SXM2-16GB", 16384 * MiB, 16076 * MiB)
            {
                Compute = [new NvmlProcess { Pid = 88467, UsedGpuMemory = 16076 * MiB }],
            },
        },
    };

    [Fact]
    public void The_seeds_V100_reads_as_nvidia_smi_showed_it()
    {
        var nvml = SeedV100();
        var report = Read(nvml);

        Assert.True(report.Available);
        Assert.Equal("535.104.05", report.DriverVersion);
        Assert.Equal("12.2", report.CudaDriverVersion);
        var gpu = Assert.Single(report.Gpus);
        Assert.Equal("Tesla V100-SXM2-16GB", gpu.Name);
        Assert.Equal(17_179_869_184L, gpu.MemoryTotalBytes);
        Assert.Equal(16_076L << 20, gpu.MemoryUsedBytes);
        Assert.Equal(308L << 20, gpu.MemoryFreeBytes);
        Assert.Equal(0, gpu.UtilizationPercent);
        Assert.Equal(34, gpu.TemperatureCelsius);
        Assert.Equal(41.0, gpu.PowerDrawWatts);
        Assert.Equal(300.0, gpu.PowerLimitWatts);
        Assert.Equal(new Version(7, 0), gpu.ComputeCapability);
        Assert.Empty(gpu.Problems);
        Assert.Equal(new GpuProcess(88467, "/usr/bin/python3", 16_076L << 20, "C"), Assert.Single(gpu.Processes));
        Assert.True(nvml.ShutDown);

        var text = report.ToString();
        Assert.Contains("NVIDIA driver 535.104.05, CUDA 12.2", text);
        Assert.Contains("Tesla V100-SXM2-16GB", text);
        Assert.Contains("15.70 GiB / 16.00 GiB (98%)", text);
        Assert.Contains("34°C", text);
        Assert.Contains("41W / 300W", text);
        Assert.Contains("88467", text);
        Assert.Contains("/usr/bin/python3", text);
    }

    [Fact]
    public void A_present_gpu_plans_with_what_is_left()
    {
        var gpu = Gpu.Present(Read(SeedV100()), 0);

        // The V100 by its NVML name is the known V100-16GB; 16,076 MiB already held leaves 308 MiB.
        Assert.Equal(17_179_869_184L, gpu.MemoryBytes);
        Assert.Equal(308L << 20, gpu.AvailableBytes);
        Assert.False(gpu.ComputesBFloat16);
        Assert.Equal("NVML: GPU 0", gpu.Source);
        Assert.Equal(Gpu.Named("Tesla V100-SXM2-16GB").MemoryBytes, gpu.MemoryBytes);
    }

    [Fact]
    public void Processes_follow_the_two_step_protocol_and_merge_compute_with_graphics()
    {
        var nvml = new FakeNvml
        {
            Gpus =
            {
                new FakeNvml.FakeGpu("NVIDIA A100-SXM4-80GB", 81920 * MiB, 40000 * MiB)
                {
                    Capability = (8, 0),
                    Compute =
                    [
                        new NvmlProcess { Pid = 300, UsedGpuMemory = 1000 * MiB },
                        new NvmlProcess { Pid = 100, UsedGpuMemory = 3000 * MiB },
                        new NvmlProcess { Pid = Self, UsedGpuMemory = ulong.MaxValue }, // NVML_VALUE_NOT_AVAILABLE
                    ],
                    Graphics = [new NvmlProcess { Pid = 100, UsedGpuMemory = 3000 * MiB }, new NvmlProcess { Pid = 200, UsedGpuMemory = 64 * MiB }],
                },
            },
        };
        var report = Read(nvml);

        var processes = Assert.Single(report.Gpus).Processes;
        Assert.Equal([100, 200, 300, Self], processes.Select(p => p.Pid));
        Assert.Equal(["C+G", "G", "C", "C"], processes.Select(p => p.Type));
        Assert.Null(processes[3].UsedBytes);
        Assert.All(processes, p => Assert.Null(p.Name)); // other pid namespace: not visible
        Assert.Equal(4, nvml.ProcessCalls); // ask, then ask again with room — for compute and for graphics
        Assert.Null(report.ThisProcessGpuBytes); // listed, but NVML would not say how much
    }

    [Fact]
    public void A_failing_call_leaves_a_gap_and_a_sentence_not_an_exception()
    {
        var nvml = SeedV100();
        nvml.Failures["nvmlDeviceGetPowerUsage"] = 3;
        nvml.Failures["nvmlDeviceGetComputeRunningProcesses_v3"] = 999;
        var report = Read(nvml);

        var gpu = Assert.Single(report.Gpus);
        Assert.Null(gpu.PowerDrawWatts);
        Assert.Equal(300.0, gpu.PowerLimitWatts);
        Assert.Empty(gpu.Processes);
        Assert.Equal(
            [
                "nvmlDeviceGetPowerUsage: Not Supported (NVML status 3) — this GPU or driver does not report it",
                "nvmlDeviceGetComputeRunningProcesses_v3: Unknown Error (NVML status 999)",
            ],
            gpu.Problems);
        Assert.Contains("! GPU 0: nvmlDeviceGetPowerUsage: Not Supported", report.ToString());
        Assert.Contains("? / 300W", report.ToString());
    }

    [Fact]
    public void A_driver_that_does_not_start_means_no_gpu_with_the_reason()
    {
        var nvml = SeedV100();
        nvml.Failures["nvmlInit_v2"] = 9;
        var report = Read(nvml);

        Assert.False(report.Available);
        Assert.Equal("NVML could not start: nvmlInit_v2: Driver Not Loaded (NVML status 9) — the NVIDIA kernel driver is not running", report.Reason);
        Assert.Empty(report.Gpus);
        var error = Assert.Throws<WalkthroughException>(() => Gpu.Present(report, 0));
        Assert.Equal("No GPU to plan for: NVML could not start: nvmlInit_v2: Driver Not Loaded (NVML status 9) — the NVIDIA kernel driver is not running. " +
                     "Name one instead (e.g. V100-16GB) or give its memory (e.g. 24GB).", error.Message);
    }

    [Fact]
    public void A_driver_without_gpus_says_so()
    {
        var report = Read(new FakeNvml());

        Assert.False(report.Available);
        Assert.Equal("the NVIDIA driver is installed but sees no GPU", report.Reason);
        Assert.Equal("535.104.05", report.DriverVersion);
    }

    [Fact]
    public void A_missing_library_is_the_reason()
    {
        var report = GpuReport.Read(null, "no NVIDIA driver: libnvidia-ml.so.1 not found", _ => null, Machine, TorchCudaView.NotAsked, Self);

        Assert.False(report.Available);
        Assert.Equal("no NVIDIA driver: libnvidia-ml.so.1 not found", report.Reason);
        Assert.StartsWith("No NVIDIA GPU: no NVIDIA driver: libnvidia-ml.so.1 not found.", report.ToString());
    }

    [Fact]
    public void This_process_finds_its_own_gpu_memory_in_nvmls_list()
    {
        var nvml = SeedV100();
        nvml.Gpus[0] = nvml.Gpus[0] with { Compute = [new NvmlProcess { Pid = Self, UsedGpuMemory = 14_000 * MiB }] };
        var report = Read(nvml);

        Assert.Equal(14_000L << 20, report.ThisProcessGpuBytes);
        Assert.Contains("(this process)", report.ToString());
        Assert.Contains("NVML lists this process with 13.67 GiB of GPU memory.", report.ToString());
    }

    [Fact]
    public void The_report_renders_as_a_table_a_frame_and_a_chart()
    {
        var report = Read(SeedV100());

        var html = report.ToHtml();
        Assert.Contains("<td style=\"border:1px solid #d1d5db;padding:2px 8px;text-align:left\">Tesla V100-SXM2-16GB</td>", html);
        Assert.Contains("background:#ef4444", html); // 98% used: a red bar
        var frame = report.ToDataFrame();
        Assert.Equal(1, frame.Rows.Count);
        Assert.Equal(17_179_869_184L, frame["Total bytes"][0]);
        Assert.Equal("7.0", frame["Compute capability"][0]);
        var chart = Assert.IsType<Walkthrough.Display.BarLayer>(Assert.Single(report.Chart().Layers));
        Assert.Equal(["GPU 0: Tesla V100-SXM2-16GB"], chart.Categories);
        Assert.True(chart.Stacked);
    }

    [Fact]
    public void Cuda_versions_read_as_nvidia_smi_prints_them()
    {
        Assert.Equal("12.2", NvmlReader.CudaVersion(12020));
        Assert.Equal("11.8", NvmlReader.CudaVersion(11080));
        Assert.Equal("13.0", NvmlReader.CudaVersion(13000));
    }
}
