namespace Walkthrough.Hardware;

/// <summary>
/// The GPU a <see cref="MemoryPlan"/> is checked against: a known one by name, a size you give, or the one NVML
/// finds in this machine. <code>Gpu.Named("V100-16GB")</code>, <code>Gpu.WithMemory("24GB")</code>,
/// <code>Gpu.Present()</code>.
/// </summary>
public sealed record Gpu(string Name, long MemoryBytes)
{
    /// <summary>CUDA compute capability when known (8.0 and newer compute bfloat16 natively).</summary>
    public Version? ComputeCapability { get; init; }

    /// <summary>Memory other processes (or this one) already hold on a present GPU; 0 for a named or sized one.</summary>
    public long InUseBytes { get; init; }

    /// <summary>Where the memory figure comes from: a data sheet, your input, or NVML.</summary>
    public string Source { get; init; } = "";

    /// <summary>Memory a model can still have: total less what is already in use.</summary>
    public long AvailableBytes => MemoryBytes - InUseBytes;

    /// <summary>False on GPUs older than compute capability 8.0 (T4, V100), where bfloat16 is emulated, slowly.</summary>
    public bool ComputesBFloat16 => ComputeCapability is null || ComputeCapability >= new Version(8, 0);

    /// <summary>The GPUs <see cref="Named"/> knows.</summary>
    public static IReadOnlyList<Gpu> Known => KnownGpus.All;

    /// <summary>A known GPU: T4, V100-16GB, V100-32GB, A10, RTX4090, L4, A100-40GB, A100-80GB, H100, H200.</summary>
    public static Gpu Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return KnownGpus.Find(name) ?? throw new WalkthroughException(
            $"\"{name}\" is not a GPU the planner knows. Known: {string.Join(", ", Known.Select(g => g.Name))}. Or give its memory, e.g. \"24GB\".");
    }

    /// <summary>
    /// A GPU with this much memory: "24GB" or "24GiB" (both 24 × 2³⁰ bytes, as GPU makers count), "512MiB" or a number
    /// of bytes. Its <see cref="Source"/> says how the size was read.
    /// </summary>
    public static Gpu WithMemory(string size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var bytes = ByteSize.TryParse(size) ?? throw new WalkthroughException(
            $"\"{size}\" is not a memory size: write it like 24GB, 16GiB, 512MiB or a number of bytes.");
        return WithMemory(bytes, size);
    }

    /// <summary>A GPU with this many bytes of memory.</summary>
    public static Gpu WithMemory(long bytes) => WithMemory(bytes, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A known GPU's name or a size, whichever the text is — what a command line's --gpu takes.</summary>
    public static Gpu Parse(string nameOrSize)
    {
        ArgumentNullException.ThrowIfNull(nameOrSize);
        if (KnownGpus.Find(nameOrSize) is { } known) return known;
        if (ByteSize.TryParse(nameOrSize) is { } bytes) return WithMemory(bytes, nameOrSize);
        throw new WalkthroughException(
            $"\"{nameOrSize}\" is neither a GPU the planner knows nor a memory size. Known: {string.Join(", ", Known.Select(g => g.Name))}. Sizes: 24GB, 16GiB, 512MiB or a number of bytes.");
    }

    /// <summary>GPU <paramref name="index"/> of this machine, as NVML reports it; a clear error where there is none.</summary>
    public static Gpu Present(int index = 0) => Present(GpuReport.Read(askTorch: false), index);

    /// <summary>This machine's first GPU, or null with the reason there is none (no driver, no NVIDIA GPU).</summary>
    public static (Gpu? Gpu, string? Reason) TryPresent() => TryPresent(GpuReport.Read(askTorch: false));

    internal static (Gpu? Gpu, string? Reason) TryPresent(GpuReport report) => report.Available ? (Present(report, 0), null) : (null, report.Reason);

    internal static Gpu Present(GpuReport report, int index)
    {
        if (!report.Available)
            throw new WalkthroughException($"No GPU to plan for: {report.Reason}. Name one instead (e.g. V100-16GB) or give its memory (e.g. 24GB).");
        if (index < 0 || index >= report.Gpus.Count)
            throw new WalkthroughException($"There is no GPU {index}: NVML found {report.Gpus.Count} (0 to {report.Gpus.Count - 1}).");
        return From(report.Gpus[index]);
    }

    /// <summary>A GPU NVML read: its real total, and what is already in use on it.</summary>
    public static Gpu From(GpuInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var total = info.MemoryTotalBytes ?? throw new WalkthroughException(
            $"GPU {info.Index} ({info.Name}): NVML could not read its memory, so there is nothing to plan against. Name the GPU or give its memory instead.");
        return new Gpu(info.Name, total)
        {
            ComputeCapability = info.ComputeCapability,
            InUseBytes = info.MemoryUsedBytes ?? 0,
            Source = $"NVML: GPU {info.Index}",
        };
    }

    private static Gpu WithMemory(long bytes, string given)
    {
        if (bytes <= 0)
            throw new WalkthroughException($"GPU memory must be more than zero bytes (got {bytes}).");
        if (bytes > ByteSize.MaxGpuBytes)
            throw new WalkthroughException($"{bytes} bytes is more than any single GPU holds (the largest have under 300 GB): give the memory of one GPU.");
        return new Gpu($"{ByteSize.Binary(bytes)} GPU", bytes) { Source = ByteSize.Reading(given, bytes) };
    }
}
