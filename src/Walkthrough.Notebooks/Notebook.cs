using System.Text;
using System.Text.Json;

namespace Walkthrough.Notebooks;

/// <summary>
/// An nbformat 4 notebook (<c>.ipynb</c>) as Polyglot Notebooks saves it. Immutable: the runner returns a new
/// notebook with outputs filled in. <see cref="ToJson"/> writes the same bytes for the same notebook, in Jupyter's
/// layout, so executed notebooks can be committed and their diffs stay small.
/// </summary>
public sealed record Notebook(IReadOnlyList<NotebookCell> Cells)
{
    public const int Format = 4;

    /// <summary>Polyglot Notebooks writes nbformat 4.2.</summary>
    public int FormatMinor { get; init; } = 2;

    public JsonElement Metadata { get; init; } = PolyglotMetadata.CSharpNotebook;

    public static Notebook Load(string path)
    {
        if (!File.Exists(path))
            throw new WalkthroughException($"Notebook {path} not found.");
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <param name="source">How error messages name the text: its file, for instance.</param>
    public static Notebook Parse(string json, string source = "notebook") => NotebookJson.Read(json, source);

    public string ToJson() => JupyterJson.Write(NotebookJson.ToNode(this));

    /// <summary>Writes <see cref="ToJson"/> as UTF-8 without a byte-order mark, as Jupyter and VS Code do.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>The same notebook with no outputs and no execution counts, as it is before anything runs.</summary>
    internal Notebook Cleared() => this with
    {
        Cells = Cells.Select(cell => cell.Kind == CellKind.Code ? cell with { Outputs = [], ExecutionCount = null } : cell).ToList(),
    };
}
