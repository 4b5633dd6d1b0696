using PeerBench.Peers;

namespace PeerBench;

/// <summary>One row of the table: a peer (and for the kit, a mode) at a thread count, over the repeats.</summary>
internal sealed class PeerRow(string name, PeerProcess process, string mode)
{
    public string Name { get; } = name;
    public PeerProcess Process { get; } = process;
    public string Mode { get; } = mode;
    public Dictionary<int, List<(Measured Prefill, Measured Decode)>> Runs { get; } = [];
    public Dictionary<int, List<double>> BookkeepingShares { get; } = []; // the kit's session: 1 − its passes' time / the decode's

    public float[]? PrefillLogits { get; set; }
    public float[]? DecodeLogits { get; set; }

    public void Add(int threads, Measured prefill, Measured decode, double? forwardWallSeconds)
    {
        if (!Runs.TryGetValue(threads, out var list)) Runs[threads] = list = [];
        list.Add((prefill, decode));
        if (forwardWallSeconds is not { } forward) return;
        if (!BookkeepingShares.TryGetValue(threads, out var shares)) BookkeepingShares[threads] = shares = [];
        shares.Add(1 - forward / decode.WallSeconds);
    }

    /// <summary>The median share of a decode that is not the forward passes, timed inside the same steps; null for peers that do not say.</summary>
    public double? BookkeepingShare(int threads) =>
        BookkeepingShares.TryGetValue(threads, out var shares) && shares.Count > 0 ? shares.Order().ElementAt(shares.Count / 2) : null;

    /// <summary>Tokens per second of the median run: by the clock, and per CPU-second (the calling thread's at 1 thread, the process's above).</summary>
    public PeerFigures Figures(int threads, int promptTokens, int newTokens)
    {
        var runs = Runs[threads];
        double Median(Func<(Measured Prefill, Measured Decode), double> of)
        {
            var values = runs.Select(of).Order().ToArray();
            return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        }
        double Cpu(Measured m) => threads == 1 ? m.ThreadCpuSeconds : m.ProcessCpuSeconds;
        return new PeerFigures(
            promptTokens / Median(r => r.Prefill.WallSeconds), promptTokens / Median(r => Cpu(r.Prefill)),
            newTokens / Median(r => r.Decode.WallSeconds), newTokens / Median(r => Cpu(r.Decode)));
    }
}

internal sealed record PeerFigures(double PrefillPerSecond, double PrefillPerCpuSecond, double DecodePerSecond, double DecodePerCpuSecond);
