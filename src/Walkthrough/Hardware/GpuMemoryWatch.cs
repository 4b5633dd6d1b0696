namespace Walkthrough.Hardware;

/// <summary>
/// The most GPU memory in use while a piece of work runs, above what was in use when the watch started — what
/// <c>nvidia-smi</c> would show at the worst moment: the CUDA context, libtorch's cached blocks and the tensors.
/// TorchSharp exposes no allocator statistics, so NVML's device reading is sampled every few milliseconds.
/// <code>using var watch = GpuMemoryWatch.Start(); … ; watch.PeakBytes</code>
/// </summary>
public sealed class GpuMemoryWatch : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly NativeNvml? _nvml;
    private readonly IntPtr _device;
    private readonly long _baseline;
    private readonly Thread? _sampler;
    private volatile bool _stopped;
    private long _peak;

    private GpuMemoryWatch(NativeNvml? nvml, IntPtr device, long baseline)
    {
        _nvml = nvml;
        _device = device;
        _baseline = baseline;
        _peak = baseline;
        if (nvml is null) return;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "GPU memory watch" };
        _sampler.Start();
    }

    /// <summary>Whether NVML could be read; without it <see cref="PeakBytes"/> is null.</summary>
    public bool Available => _nvml is not null;

    /// <summary>GPU memory in use when the watch started (other processes, an earlier context), bytes.</summary>
    public long BaselineBytes => _baseline;

    /// <summary>The highest reading so far above the baseline, bytes; null without NVML.</summary>
    public long? PeakBytes => Available ? Math.Max(0, Interlocked.Read(ref _peak) - _baseline) : null;

    /// <summary>Starts watching GPU <paramref name="index"/>; on a machine without NVML it watches nothing.</summary>
    public static GpuMemoryWatch Start(int index = 0)
    {
        var nvml = NativeNvml.TryLoad(out _);
        if (nvml is null) return new GpuMemoryWatch(null, IntPtr.Zero, 0);
        if (nvml.Init() != NvmlStatus.Success || nvml.DeviceGetHandleByIndex((uint)index, out var device) != NvmlStatus.Success
            || nvml.DeviceGetMemoryInfo(device, out var memory) != NvmlStatus.Success)
        {
            nvml.Dispose();
            return new GpuMemoryWatch(null, IntPtr.Zero, 0);
        }
        return new GpuMemoryWatch(nvml, device, (long)memory.Used);
    }

    private void Sample()
    {
        while (!_stopped)
        {
            Read();
            Thread.Sleep(Interval);
        }
        Read(); // the last moment too
    }

    private void Read()
    {
        if (_nvml!.DeviceGetMemoryInfo(_device, out var memory) != NvmlStatus.Success) return;
        var used = (long)memory.Used;
        long seen;
        while (used > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, used, seen) != seen) { }
    }

    public void Dispose()
    {
        _stopped = true;
        _sampler?.Join();
        if (_nvml is null) return;
        _nvml.Shutdown();
        _nvml.Dispose();
    }
}
