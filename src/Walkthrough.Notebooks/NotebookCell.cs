using System.Text.Json;

namespace Walkthrough.Notebooks;

/// <summary>
/// One cell of a notebook. Metadata and attachments are kept as read, so saving a notebook changes only what the
/// runner changed: outputs and execution counts.
/// </summary>
public sealed record NotebookCell(CellKind Kind, string Source)
{
    public JsonElement Metadata { get; init; } = JupyterJson.EmptyObject;

    /// <summary>Code cells only: the run that last executed it (1, 2, …), or null if it has not run.</summary>
    public int? ExecutionCount { get; init; }

    /// <summary>Code cells only.</summary>
    public IReadOnlyList<CellOutput> Outputs { get; init; } = [];

    /// <summary>The cell id nbformat 4.5 adds; Polyglot Notebooks (nbformat 4.2) writes none.</summary>
    public string? Id { get; init; }

    /// <summary>Images pasted into a markdown cell, as read.</summary>
    public JsonElement? Attachments { get; init; }

    /// <summary>A markdown cell, as Polyglot Notebooks writes one.</summary>
    public static NotebookCell Markdown(string text) => new(CellKind.Markdown, text);

    /// <summary>A C# code cell, as Polyglot Notebooks writes one.</summary>
    public static NotebookCell Code(string code) => new(CellKind.Code, code) { Metadata = PolyglotMetadata.CSharpCell };

    /// <summary>
    /// The kernel the cell runs in (<c>csharp</c>, <c>fsharp</c>, …), from its Polyglot metadata; null when the cell
    /// has none and so runs in the notebook's default kernel.
    /// </summary>
    public string? KernelName =>
        Metadata.ValueKind == JsonValueKind.Object
        && Metadata.TryGetProperty("polyglot_notebook", out var polyglot)
        && polyglot.ValueKind == JsonValueKind.Object
        && polyglot.TryGetProperty("kernelName", out var name)
        && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>The first line with text, trimmed: how error messages name the cell.</summary>
    public string FirstLine =>
        Source.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) ?? "(empty cell)";
}
