namespace Walkthrough.Notebooks;

/// <summary>
/// A cell failed: it did not compile, it threw, or it asked for a package the kit does not pin. The message names
/// the notebook, the cell and the error; <see cref="Notebook"/> holds the run up to that cell, with the error as the
/// cell's output. The original exception, if any, is the inner exception.
/// </summary>
public sealed class NotebookException(string message, string path, int cellIndex, int codeCellNumber, Notebook notebook, Exception inner)
    : Exception(message, inner)
{
    public string Path { get; } = path;

    /// <summary>0-based among all cells.</summary>
    public int CellIndex { get; } = cellIndex;

    /// <summary>1-based among code cells.</summary>
    public int CodeCellNumber { get; } = codeCellNumber;

    public Notebook Notebook { get; } = notebook;
}
