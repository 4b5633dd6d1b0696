using Spectre.Console;
using Walkthrough.Checkpoints;
using Walkthrough.Hub;

namespace Walkthrough.Cli;

/// <summary>Bars on the terminal: one per file downloaded from the hub, then one for the weights as they are read.</summary>
internal sealed class ProgressBars(ProgressContext context) : IProgress<HubProgress>, IProgress<LoadProgress>
{
    private readonly Dictionary<string, ProgressTask> _downloads = [];
    private ProgressTask? _loading;

    /// <summary>Runs <paramref name="work"/> with bars on standard error, which clear when it ends.</summary>
    public static T Show<T>(Func<ProgressBars, T> work)
    {
        var result = default(T);
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            .Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .Start(context => result = work(new ProgressBars(context)));
        return result!;
    }

    public void Report(HubProgress value)
    {
        if (!_downloads.TryGetValue(value.File, out var task))
            _downloads[value.File] = task = context.AddTask($"downloading {value.File}", maxValue: Math.Max(1, value.BytesTotal ?? 1));
        task.IsIndeterminate = value.BytesTotal is null;
        task.MaxValue = Math.Max(1, value.BytesTotal ?? value.BytesDone);
        task.Value = value.BytesDone;
    }

    public void Report(LoadProgress value)
    {
        _loading ??= context.AddTask("loading weights", maxValue: Math.Max(1, value.BytesTotal));
        _loading.Value = value.BytesDone;
    }
}
