using System.Text.RegularExpressions;

namespace Walkthrough.Hardware;

/// <summary>
/// GPUs the planner knows by name, with the memory NVIDIA's data sheets state. NVIDIA counts GPU memory in binary
/// gigabytes: "16 GB" is 16 × 2³⁰ bytes, which is what nvidia-smi printed for the seed's V100 (16384 MiB).
/// Some boards show less in nvidia-smi: firmware keeps a slice (the CUDA allowance covers it), and a T4 with ECC
/// on — the default on cloud machines — shows 15,360 of its 16,384 MiB. On the machine itself, plan against
/// <see cref="Gpu.Present(int)"/>. Compute capability 8.0 and newer computes bfloat16 natively.
/// </summary>
internal static class KnownGpus
{
    private sealed record Entry(string Model, int Gigabytes, int Major, int Minor)
    {
        public Gpu Gpu { get; } = new($"{Model}-{Gigabytes}GB", Gigabytes * (1L << 30))
        {
            ComputeCapability = new Version(Major, Minor),
            Source = $"NVIDIA data sheet: \"{Gigabytes} GB\", which is {Gigabytes} GiB",
        };
    }

    private static readonly Entry[] Entries =
    [
        new("T4", 16, 7, 5),
        new("V100", 16, 7, 0),
        new("V100", 32, 7, 0),
        new("A10", 24, 8, 6),
        new("RTX4090", 24, 8, 9),
        new("L4", 24, 8, 9),
        new("A100", 40, 8, 0),
        new("A100", 80, 8, 0),
        new("H100", 80, 9, 0),
        new("H200", 141, 9, 0),
    ];

    public static IReadOnlyList<Gpu> All { get; } = Entries.Select(e => e.Gpu).ToList();

    // Words in NVML's and vendors' names that say nothing about memory: "Tesla V100-SXM2-16GB" is a V100-16GB.
    private static readonly HashSet<string> Noise = ["nvidia", "tesla", "geforce", "sxm", "sxm2", "sxm4", "sxm5", "pcie", "nvl", "hbm2", "hbm2e", "hbm3", "hbm3e"];

    /// <summary>
    /// The known GPU a name means ("V100-16GB", "Tesla V100-SXM2-16GB", "h100"), or null. A model that comes in
    /// several sizes needs its size: "V100" alone is an error that names both.
    /// </summary>
    public static Gpu? Find(string name)
    {
        var key = Key(name);
        if (key.Length == 0) return null;
        var exact = Entries.FirstOrDefault(e => Key(e.Gpu.Name) == key);
        if (exact is not null) return exact.Gpu;
        var sizes = Entries.Where(e => Key(e.Model) == key).ToList();
        if (sizes.Count > 1)
            throw new WalkthroughException($"{name} comes in {sizes.Count} sizes: say {string.Join(" or ", sizes.Select(e => e.Gpu.Name))}.");
        return sizes.SingleOrDefault()?.Gpu;
    }

    private static string Key(string name) => string.Concat(
        Regex.Split(name.ToLowerInvariant(), "[^a-z0-9]+").Where(word => word.Length > 0 && !Noise.Contains(word)));
}
