using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Walkthrough.Notebooks;

/// <summary>
/// A notebook being run, one cell per step, so a caller can show each cell and wait before the next:
/// <code>
/// var run = NotebookRunner.Start("notebooks/01-tokens.ipynb");
/// while (await run.ExecuteNextAsync() is { } step) Show(step.Cell);
/// </code>
/// The first failing cell ends the run with a <see cref="NotebookException"/>.
/// </summary>
public sealed class NotebookRun
{
    private readonly List<NotebookCell> cells;
    private readonly List<CellRun> codeCellsRun = [];
    private readonly Notebook notebook;
    private readonly string folder;
    private readonly PackageCheck packages;
    private readonly ScriptSession session = new();
    private bool stopped;

    internal NotebookRun(Notebook notebook, string path)
    {
        this.notebook = notebook.Cleared();
        cells = this.notebook.Cells.ToList();
        Path = path;
        folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        packages = PackageCheck.For(folder);
    }

    /// <summary>The notebook's file, as given: error messages name it so.</summary>
    public string Path { get; }

    /// <summary>The notebook as run so far: cells already run have their outputs and execution counts, later ones none.</summary>
    public Notebook Notebook => notebook with { Cells = cells.ToList() };

    /// <summary>0-based index of the cell the next step runs.</summary>
    public int NextIndex { get; private set; }

    /// <summary>The cell the next step runs, before it runs; null when the run is over.</summary>
    public NotebookCell? Next => IsFinished ? null : cells[NextIndex];

    /// <summary>Every cell has run, or one failed.</summary>
    public bool IsFinished => stopped || NextIndex >= cells.Count;

    /// <summary>The code cells run so far, with how long each took.</summary>
    public IReadOnlyList<CellRun> CodeCellsRun => codeCellsRun;

    /// <summary>
    /// Runs the next cell (a markdown cell is a step that does nothing) and returns it with its outputs; null when the
    /// run is over. Throws <see cref="NotebookException"/> when the cell fails.
    /// </summary>
    public async Task<CellRun?> ExecuteNextAsync(CancellationToken cancellationToken = default)
    {
        if (IsFinished) return null;
        var index = NextIndex++;
        var cell = cells[index];
        if (cell.Kind != CellKind.Code) return new CellRun(index, null, cell, TimeSpan.Zero);

        var number = codeCellsRun.Count + 1;
        var recorder = new OutputRecorder();
        var clock = Stopwatch.StartNew();
        (Exception Exception, ErrorOutput Output)? failure = null;
        try
        {
            await RunAsync(cell, number, recorder, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = true;
            throw;
        }
        catch (Exception e)
        {
            failure = (e, ErrorOf(e));
            recorder.Add(failure.Value.Output);
        }
        var step = new CellRun(index, number, cell with { ExecutionCount = number, Outputs = recorder.Outputs() }, clock.Elapsed);
        cells[index] = step.Cell;
        codeCellsRun.Add(step);
        if (failure is not { } failed) return step;

        stopped = true;
        throw new NotebookException(
            $"{Path}, code cell {number} (cell {index + 1} of {cells.Count}) `{cell.FirstLine}`: {failed.Output.Value}",
            Path, index, number, Notebook, failed.Exception);
    }

    private async Task RunAsync(NotebookCell cell, int number, OutputRecorder recorder, CancellationToken cancellationToken)
    {
        if (cell.KernelName is { } kernel && kernel != PolyglotMetadata.CSharpKernel)
            throw new WalkthroughException($"the cell runs in the {kernel} kernel; the runner runs C# cells only");
        var directives = KernelDirectives.Strip(cell.Source);
        foreach (var package in directives.Packages)
        {
            if (packages.Problem(package) is { } problem)
                throw new WalkthroughException($"line {package.Line}: {problem}");
        }
        using var scope = await CellScope.EnterAsync(folder, recorder, cancellationToken);
        await session.RunAsync(directives.Code, number, recorder, cancellationToken);
    }

    /// <summary>The error output: compiler messages, a kit error's own message, or any other exception's type and message.</summary>
    private static ErrorOutput ErrorOf(Exception e)
    {
        var (name, text) = e switch
        {
            CompilationErrorException compile => ("CompilationError",
                string.Join("\n", compile.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))),
            WalkthroughException kit => (nameof(WalkthroughException), kit.Message),
            _ => (e.GetType().FullName ?? e.GetType().Name, $"{e.GetType().FullName}: {e.Message}"),
        };
        return new ErrorOutput(name, text, text.Split('\n'));
    }
}
