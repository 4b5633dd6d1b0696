namespace Walkthrough.Hardware;

/// <summary>
/// One GPU as NVML reports it — a row of nvidia-smi. A value NVML could not give is null, and
/// <see cref="Problems"/> says which call failed and why.
/// </summary>
public sealed record GpuInfo(int Index, string Name)
{
    public long? MemoryTotalBytes { get; init; }

    public long? MemoryUsedBytes { get; init; }

    public long? MemoryFreeBytes { get; init; }

    /// <summary>Percent of the last sample period in which a kernel ran ("GPU-Util").</summary>
    public int? UtilizationPercent { get; init; }

    /// <summary>Percent of the last sample period in which memory was read or written.</summary>
    public int? MemoryUtilizationPercent { get; init; }

    public int? TemperatureCelsius { get; init; }

    public double? PowerDrawWatts { get; init; }

    /// <summary>The power cap the driver enforces (nvidia-smi's "Cap").</summary>
    public double? PowerLimitWatts { get; init; }

    /// <summary>CUDA compute capability: 7.0 for a V100, 8.0 for an A100 (8.0 and newer compute bfloat16 natively).</summary>
    public Version? ComputeCapability { get; init; }

    /// <summary>Processes holding memory on this GPU.</summary>
    public IReadOnlyList<GpuProcess> Processes { get; init; } = [];

    /// <summary>NVML calls that failed for this GPU, in words.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
