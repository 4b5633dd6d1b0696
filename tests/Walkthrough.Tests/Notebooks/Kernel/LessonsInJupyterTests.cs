using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// Jupyter, the second way users run the lessons, exactly as environment.md tells them: the kernel registered with
/// <c>dotnet interactive jupyter install</c>, each lesson executed by Debian's nbconvert (nbclient), then rendered to
/// HTML the way Jupyter renders it and opened in headless Chromium: every chart must have drawn marks, and the page must
/// log no script error. <c>.ci/run</c> installs Jupyter and Chromium; elsewhere these tests say what is missing.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class LessonsInJupyterTests
{
    private static readonly Lazy<Task> KernelSpec = new(async () =>
    {
        await KernelTool.RestoreAsync();
        var install = await ProcessRun.RunAsync("dotnet", ["interactive", "jupyter", "install"], RepoPaths.Root, TimeSpan.FromMinutes(3));
        if (install.ExitCode != 0) throw new InvalidOperationException($"dotnet interactive jupyter install failed:\n{install.Tail}");
    });

    [NeedsProgramsTheory("jupyter-nbconvert", "chromium")]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public async Task Lesson_runs_in_Jupyter_and_its_page_draws_every_chart(string lesson)
    {
        await KernelSpec.Value;
        var output = Directory.CreateTempSubdirectory("walkthrough-jupyter-").FullName;
        try
        {
            var execute = await ProcessRun.RunAsync("jupyter",
                ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=300",
                 "--output-dir", output, Path.Combine("notebooks", lesson)],
                RepoPaths.Root, TimeSpan.FromMinutes(15));
            Assert.True(execute.ExitCode == 0, $"{lesson} failed in Jupyter (exit {execute.ExitCode}):\n{execute.Tail}");
            var executed = Notebook.Load(Path.Combine(output, lesson));
            var code = executed.Cells.Where(c => c.Kind == CellKind.Code).ToList();
            Assert.All(code, c => Assert.NotNull(c.ExecutionCount));
            Assert.DoesNotContain(code.SelectMany(c => c.Outputs), o => o is ErrorOutput);
            var charts = code.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Count(d => d.Data.GetValueOrDefault("text/html", "").Contains("class=\"wt-chart\""));

            var render = await ProcessRun.RunAsync("jupyter", ["nbconvert", "--to", "html", Path.Combine(output, lesson)], output, TimeSpan.FromMinutes(3));
            Assert.True(render.ExitCode == 0, $"nbconvert --to html failed:\n{render.Tail}");
            await using var chromium = await Chromium.StartAsync();
            var page = await chromium.OpenAsync(Path.Combine(output, Path.ChangeExtension(lesson, ".html")));

            Assert.Empty(page.ScriptErrors);
            Assert.Equal(charts, page.Charts.Count);
            Assert.All(page.Charts, chart => Assert.True(chart.Marks > 0 && chart.Drawn == chart.Marks, $"{chart.Title}: {chart.Drawn} of {chart.Marks} marks drawn"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
