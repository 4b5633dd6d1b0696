using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// Every lesson runs top to bottom in the stock .NET Interactive kernel (the dotnet-interactive tool from the
/// repository's manifest, through <c>dotnet interactive stdio</c> as VS Code drives it), with its own assemblies —
/// FSharp.Core, the formatting package — not the test host's. A failing cell fails the test with the notebook, the
/// cell and the kernel's message.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class LessonNotebooksRunInTheKernel
{
    [Theory]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public async Task Lesson_runs_every_cell_in_the_stock_kernel(string lesson)
    {
        var notebook = await LessonRuns.KernelAsync(lesson); // a failing cell throws NotebookException, naming itself

        var code = notebook.Cells.Where(c => c.Kind == CellKind.Code).ToList();
        Assert.Equal(Enumerable.Range(1, code.Count), code.Select(c => c.ExecutionCount ?? 0));
        Assert.DoesNotContain(code.SelectMany(c => c.Outputs), o => o is ErrorOutput);
        // Every chart reached the notebook as inline SVG, as a static SVG picture and as text.
        foreach (var chart in code.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Where(d => d.Data.GetValueOrDefault("text/html", "").Contains("class=\"wt-chart\"")))
            Assert.Equal(["image/svg+xml", "text/html", "text/plain"], chart.Data.Keys.Order());
    }

    /// <summary>The kit the kernel loaded is the one the last build packed, not one a cache kept.</summary>
    [Fact]
    public async Task The_kernel_loads_the_newest_build_of_the_kit()
    {
        var package = Assert.Single(Directory.GetFiles(Path.Combine(RepoPaths.Root, "artifacts", "packages"), "Walkthrough.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["Walkthrough.".Length..];

        var notebook = await LessonRuns.KernelAsync("01-tokens.ipynb");

        var installed = notebook.Cells.First(c => c.Kind == CellKind.Code).Outputs.OfType<DisplayOutput>()
            .Select(d => d.Data.GetValueOrDefault("text/html", "")).Single(html => html.Contains("Installed Packages"));
        Assert.Contains($"Walkthrough, {version}", installed);
        Assert.StartsWith("0.1.0-dev.", version);
    }
}
