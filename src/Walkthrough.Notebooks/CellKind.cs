namespace Walkthrough.Notebooks;

/// <summary>The nbformat 4 cell types.</summary>
public enum CellKind
{
    Markdown,
    Code,
    Raw,
}
