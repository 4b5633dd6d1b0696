namespace Walkthrough.Notebooks;

/// <summary>
/// Runs a C# notebook without VS Code, the way the Polyglot C# kernel does: cell by cell as Roslyn script
/// submissions, in the notebook's folder, with the kit's packages already referenced. Kernel lines (<c>#r "nuget:"</c>,
/// <c>#i</c>, <c>#!</c>) are checked against the kit's pinned versions and left out of the C#.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Runs every cell; throws <see cref="NotebookException"/> at the first cell that fails.</summary>
    /// <returns>The finished run: <c>run.Notebook.Save(path)</c> keeps the outputs.</returns>
    public static async Task<NotebookRun> RunAsync(string path, CancellationToken cancellationToken = default)
    {
        var run = Start(path);
        while (await run.ExecuteNextAsync(cancellationToken) is not null)
        {
        }
        return run;
    }

    /// <summary>Loads the notebook; nothing runs until <see cref="NotebookRun.ExecuteNextAsync"/>.</summary>
    public static NotebookRun Start(string path) => new(Notebook.Load(path), path);

    /// <summary>Runs a notebook made in code (<see cref="NotebookBuilder"/>) as if it were saved at <paramref name="path"/>.</summary>
    public static NotebookRun Start(Notebook notebook, string path) => new(notebook, path);
}
