namespace Walkthrough.Notebooks;

/// <summary>
/// Writes a C# notebook from code: <c>new NotebookBuilder().Markdown("# Tokens").Code("var x = 1;").Build()</c>.
/// The result carries the metadata Polyglot Notebooks writes, so VS Code opens it with the C# kernel.
/// </summary>
public sealed class NotebookBuilder
{
    private readonly List<NotebookCell> cells = [];

    public NotebookBuilder Markdown(string text)
    {
        cells.Add(NotebookCell.Markdown(text));
        return this;
    }

    public NotebookBuilder Code(string code)
    {
        cells.Add(NotebookCell.Code(code));
        return this;
    }

    public Notebook Build() => new(cells.ToList());
}
