using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>The kit's own HTML page of each executed lesson (what <c>walkthrough lesson NN --html</c> writes), in headless Chromium.</summary>
[Collection(KernelCollection.Name)]
public sealed class LessonPagesInChromiumTests
{
    [NeedsProgramsTheory("chromium")]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public async Task The_lesson_page_draws_every_chart_wraps_its_code_and_logs_no_script_error(string lesson)
    {
        var notebook = await LessonRuns.RunnerAsync(lesson);
        var file = Path.Combine(Path.GetTempPath(), $"walkthrough-page-{Guid.NewGuid():N}.html");
        File.WriteAllText(file, LessonPage.Render(notebook, Path.GetFileNameWithoutExtension(lesson)));
        try
        {
            await using var chromium = await Chromium.StartAsync();
            var page = await chromium.OpenAsync(file);

            var charts = notebook.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Count(d => d.Data.GetValueOrDefault("text/html", "").Contains("class=\"wt-chart\""));
            Assert.Empty(page.ScriptErrors);
            Assert.Equal(charts, page.Charts.Count);
            Assert.All(page.Charts, chart => Assert.True(chart.Marks > 0 && chart.Drawn == chart.Marks, $"{chart.Title}: {chart.Drawn} of {chart.Marks} marks drawn"));
            Assert.Equal(0, page.ClippedCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
