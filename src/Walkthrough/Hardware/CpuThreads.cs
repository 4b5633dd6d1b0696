using System.Globalization;

namespace Walkthrough.Hardware;

/// <summary>
/// How many threads libtorch computes with on the CPU, and why: the cores that are free now, not all of them.
/// Threads of one matrix product wait for each other, so a thread on a busy core holds up the rest — on a shared
/// 2-core machine a 40-token generation ran 1.5–3× faster on 1 thread than on libtorch's default of 2.
/// <code>CpuThreads.Choose()   // 1 of 2 cores: load average 1.6 leaves 0.4 free</code>
/// </summary>
/// <param name="Count">Threads to use.</param>
/// <param name="Cores">Physical cores this process may run on (libtorch's own default).</param>
/// <param name="Reason">Why this count, in words.</param>
public sealed record CpuThreads(int Count, int Cores, string Reason)
{
    /// <summary>Set to a whole number to choose the count yourself (OMP_NUM_THREADS is honoured too).</summary>
    public const string Variable = "WALKTHROUGH_THREADS";

    /// <summary>The count from the environment if set, else the cores left free by the last minute's load.</summary>
    public static CpuThreads Choose() => Choose(Environment.GetEnvironmentVariable, PhysicalCores(), LoadAverage());

    /// <summary>The rule itself, on given readings (tests pass their own).</summary>
    public static CpuThreads Choose(Func<string, string?> environment, int cores, double? loadAverage)
    {
        cores = Math.Max(1, cores);
        foreach (var name in new[] { Variable, "OMP_NUM_THREADS" })
        {
            if (environment(name) is not { Length: > 0 } text) continue;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked >= 1
                ? new CpuThreads(asked, cores, $"set by {name}")
                : throw new WalkthroughException($"{name}={text} is not a number of threads: give a whole number of at least 1, or unset it.");
        }
        if (loadAverage is not { } load)
            return new CpuThreads(cores, cores, "every core (no load average to read here)");
        var free = Math.Clamp((int)Math.Floor(cores - load + 0.5), 1, cores);
        return new CpuThreads(free, cores, string.Create(CultureInfo.InvariantCulture,
            $"load average {load:0.0} over the last minute leaves {(free == cores ? "every core" : $"{Math.Max(0, cores - load):0.0} of {cores}")} free"));
    }

    /// <summary>Sets libtorch's thread count to this choice.</summary>
    public CpuThreads Apply()
    {
        TorchSharp.torch.set_num_threads(Count);
        return this;
    }

    public override string ToString() => $"{Count} of {Cores} core{(Cores == 1 ? "" : "s")}: {Reason}";

    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    // Cores, not hardware threads: two threads on one core's pair share its arithmetic units.
    private static int PhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        try
        {
            var cores = new HashSet<(string, string)>();
            string? package = null;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("physical id", StringComparison.Ordinal)) package = line.Split(':', 2)[1].Trim();
                else if (line.StartsWith("core id", StringComparison.Ordinal)) cores.Add((package ?? "", line.Split(':', 2)[1].Trim()));
            }
            return cores.Count > 0 ? Math.Min(cores.Count, logical) : logical;
        }
        catch (IOException)
        {
            return logical;
        }
    }
}
