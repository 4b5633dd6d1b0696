using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>Keeps every report, synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class CheckpointProgressRecorder : IProgress<LoadProgress>
{
    public List<LoadProgress> Reports { get; } = [];

    public void Report(LoadProgress value) => Reports.Add(value);
}
