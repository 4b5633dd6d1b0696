using PeerBench;
using PeerBench.Peers;
using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.PeerBench;

/// <summary>The benchmark's bookkeeping share, timed inside the session's own steps rather than across two rows.</summary>
public sealed class BookkeepingShareTests
{
    [Fact]
    public void The_share_is_the_median_over_rounds_of_what_the_forward_passes_leave_of_a_decode()
    {
        var row = new PeerRow("kit, NextTokenSession", process: null!, "session");
        var prefill = new Measured(0.1, 0.1, 0.1);
        row.Add(1, prefill, new Measured(1.0, 1.0, 1.0), forwardWallSeconds: 0.9);  // 10 %
        row.Add(1, prefill, new Measured(2.0, 2.0, 2.0), forwardWallSeconds: 1.6);  // 20 %
        row.Add(1, prefill, new Measured(1.0, 1.0, 1.0), forwardWallSeconds: 0.95); // 5 %
        row.Add(2, prefill, new Measured(1.0, 1.0, 1.0), forwardWallSeconds: null);

        Assert.Equal(0.1, row.BookkeepingShare(1)!.Value, 12);
        Assert.Null(row.BookkeepingShare(2));
    }

    [Fact]
    public void The_kits_session_times_its_forward_passes_within_the_decode_and_the_forward_mode_says_nothing()
    {
        using var kit = new KitPeer(LanguageModel.Default());
        kit.Prefill([1, 9262, 28725, 11090], "session");
        var wall = System.Diagnostics.Stopwatch.StartNew();
        kit.Decode([28725, 11090, 28725, 11090, 28725], "session");
        var elapsed = wall.Elapsed.TotalSeconds;

        Assert.NotNull(kit.ForwardSeconds);
        Assert.InRange(kit.ForwardSeconds!.Value, 1e-6, elapsed * 1.25); // n − 1 passes scaled to n: at most a pass's worth over
        kit.Prefill([1, 9262], "forward");
        kit.Decode([28725, 11090], "forward");
        Assert.Null(kit.ForwardSeconds);
    }
}
