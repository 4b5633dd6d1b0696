using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks;

/// <summary>
/// Every lesson in notebooks/ runs top to bottom on the headless runner, as CI's proof that the lessons work.
/// With WALKTHROUGH_WRITE_NOTEBOOKS=1 the executed lessons are saved in place, outputs included, so readers see
/// results where notebooks are shown without running them.
/// </summary>
[Collection(Walkthrough.Tests.Notebooks.NotebookCollection.Name)]
public sealed class LessonNotebooksRunHeadless
{
    public static TheoryData<string> Lessons() =>
        new(Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Lesson_runs_every_cell(string lesson)
    {
        var notebook = await Kernel.LessonRuns.RunnerAsync(lesson); // a failing cell throws, naming itself

        var codeCells = notebook.Cells.Where(cell => cell.Kind == CellKind.Code).ToList();
        Assert.Equal(Enumerable.Range(1, codeCells.Count), codeCells.Select(cell => cell.ExecutionCount ?? 0));
        LessonProse.LessonClaims.AssertHold(lesson, notebook); // the prose's facts against this run's outputs
        if (Environment.GetEnvironmentVariable("WALKTHROUGH_WRITE_NOTEBOOKS") == "1")
            notebook.Save(Kernel.LessonRuns.Path(lesson));
    }
}
