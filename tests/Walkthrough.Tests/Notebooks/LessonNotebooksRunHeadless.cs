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
    /// <summary>
    /// xunit 2 fails a theory whose data is empty, so a folder with no lessons yields one marker case instead; that
    /// case checks that notebooks/ really holds no lesson, so it cannot hide lessons the enumeration missed.
    /// </summary>
    public const string NoLessonsYet = "(no lessons yet)";

    public static TheoryData<string> Lessons()
    {
        var folder = Path.Combine(RepoPaths.Root, "notebooks");
        var lessons = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.ipynb").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal).ToList()
            : [];
        return new TheoryData<string>(lessons.Count > 0 ? lessons : [NoLessonsYet]);
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Lesson_runs_every_cell(string lesson)
    {
        var folder = Path.Combine(RepoPaths.Root, "notebooks");
        if (lesson == NoLessonsYet)
        {
            Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb") : []);
            return;
        }
        var path = Path.Combine(folder, lesson);

        var run = await NotebookRunner.RunAsync(path); // a failing cell throws, naming itself

        var codeCells = run.Notebook.Cells.Where(cell => cell.Kind == CellKind.Code).ToList();
        Assert.Equal(Enumerable.Range(1, codeCells.Count), codeCells.Select(cell => cell.ExecutionCount ?? 0));
        if (Environment.GetEnvironmentVariable("WALKTHROUGH_WRITE_NOTEBOOKS") == "1")
            run.Notebook.Save(path);
    }
}
