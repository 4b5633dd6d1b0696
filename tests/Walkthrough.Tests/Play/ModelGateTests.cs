using Walkthrough.Play;

namespace Walkthrough.Tests.Play;

/// <summary>The model gate: one pass at a time, and a closed page's tensors freed only between passes.</summary>
public sealed class ModelGateTests
{
    [Fact]
    public async Task A_closed_pages_tensors_are_freed_between_passes_never_during_one()
    {
        using var gate = new ModelGate(maxWaiting: 4, maxWait: TimeSpan.FromSeconds(10));
        var freed = new List<string>();
        gate.Retire(new Freed(freed, "closed while the model was free"));
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var pass = Task.Run(() => gate.RunAsync(() =>
        {
            started.Set();
            return release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None));
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));

        gate.Retire(new Freed(freed, "closed during a pass"));
        var duringThePass = freed.ToList();
        release.Set();
        await pass;

        Assert.Equal(["closed while the model was free"], duringThePass);
        Assert.Equal(["closed while the model was free", "closed during a pass"], freed);
        Assert.Equal(0, gate.Waiting);
    }

    private sealed class Freed(List<string> log, string name) : IDisposable
    {
        public void Dispose()
        {
            lock (log) log.Add(name);
        }
    }
}
