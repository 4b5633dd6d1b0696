namespace Walkthrough.Notebooks;

/// <summary>
/// One step of a run: the cell at <see cref="Index"/> (0-based among all cells) as it now is, outputs included.
/// <see cref="CodeCellNumber"/> counts code cells from 1 and is null for markdown; <see cref="Elapsed"/> is how long
/// the cell ran (kept out of the saved notebook, so files stay the same from run to run).
/// </summary>
public sealed record CellRun(int Index, int? CodeCellNumber, NotebookCell Cell, TimeSpan Elapsed);
