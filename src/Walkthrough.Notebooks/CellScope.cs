namespace Walkthrough.Notebooks;

/// <summary>
/// While a cell runs, the process's working directory is the notebook's folder (as in the kernel, so relative paths
/// in a lesson mean the same in VS Code and here) and its console writes into the cell's outputs. Both belong to the
/// whole process, so cells of all runs take turns: one cell at a time in the process.
/// </summary>
internal sealed class CellScope : IDisposable
{
    private static readonly SemaphoreSlim OneCellAtATime = new(1, 1);

    private readonly string previousDirectory;
    private readonly TextWriter previousOut;
    private readonly TextWriter previousError;

    private CellScope(string folder, OutputRecorder recorder)
    {
        previousDirectory = Directory.GetCurrentDirectory();
        previousOut = Console.Out;
        previousError = Console.Error;
        Directory.SetCurrentDirectory(folder);
        Console.SetOut(recorder.Stream(StreamOutput.StandardOutput));
        Console.SetError(recorder.Stream(StreamOutput.StandardError));
    }

    public static async Task<CellScope> EnterAsync(string folder, OutputRecorder recorder, CancellationToken cancellationToken)
    {
        await OneCellAtATime.WaitAsync(cancellationToken);
        try
        {
            return new CellScope(folder, recorder);
        }
        catch
        {
            OneCellAtATime.Release();
            throw;
        }
    }

    public void Dispose()
    {
        Console.SetOut(previousOut);
        Console.SetError(previousError);
        Directory.SetCurrentDirectory(previousDirectory);
        OneCellAtATime.Release();
    }
}
