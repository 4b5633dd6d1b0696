using System.Text.RegularExpressions;
using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// The kit's runner must not drift from the kernel: the same lesson run both ways gives each cell the same kinds of
/// output (streams, displayed values, the cell's value, in the same mime types) and the same text.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class RunnerMatchesKernelTests
{
    [Fact]
    public async Task Lesson_01_gives_the_same_outputs_on_the_runner_and_in_the_kernel()
    {
        var kernel = await LessonRuns.KernelAsync("01-tokens.ipynb");
        var runner = await LessonRuns.RunnerAsync("01-tokens.ipynb");

        var pairs = kernel.Cells.Zip(runner.Cells).Where(p => p.First.Kind == CellKind.Code).ToList();
        Assert.NotEmpty(pairs);
        foreach (var (inKernel, onRunner) in pairs)
        {
            var cell = $"code cell {inKernel.ExecutionCount} `{inKernel.FirstLine}`";
            Assert.True(Kinds(inKernel) == Kinds(onRunner), $"{cell}: the kernel gave {Kinds(inKernel)}, the runner {Kinds(onRunner)}");
            Assert.True(Text(inKernel) == Text(onRunner), $"{cell}: the kernel's text\n{Text(inKernel)}\nthe runner's\n{Text(onRunner)}");
        }
    }

    // What a cell produced, in order: "stdout", "result[text/html,text/plain]", … What the kernel reports while a #r line
    // installs packages ("Installed Packages", "Loading extensions from …") is the kernel's, not the cell's: the runner
    // has the packages already.
    private static string Kinds(NotebookCell cell) => string.Join(", ", Outputs(cell).Select(o => o switch
    {
        StreamOutput s => s.Name,
        DisplayOutput d => $"{(d.IsResult ? "result" : "display")}[{string.Join(",", d.Data.Keys.Order())}]",
        ErrorOutput => "error",
        _ => "?",
    }));

    private static string Text(NotebookCell cell) => string.Join("\n--\n", Outputs(cell).Select(o => o switch
    {
        StreamOutput s => s.Text,
        DisplayOutput d => d.Data.GetValueOrDefault("text/plain", ""),
        ErrorOutput e => e.Value,
        _ => "",
    }).Select(Steady));

    private static IEnumerable<CellOutput> Outputs(NotebookCell cell) =>
        cell.Outputs.Where(o => o is not DisplayOutput d
            || !(d.Data.GetValueOrDefault("text/html", "").Contains("Installed Packages") || d.Data.GetValueOrDefault("text/plain", "").StartsWith("Loading extensions from ", StringComparison.Ordinal)));

    // The one fact that changes between two runs a minute apart: the free disk space the set-up cell reports.
    private static string Steady(string text) => FreeDisk().Replace(text, "Disk $1 free");

    [GeneratedRegex(@"Disk(\s+)[\d.]+ [KMGT]iB free")]
    private static partial Regex FreeDisk();
}
