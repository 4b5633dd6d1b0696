using System.Text.Json;

namespace Walkthrough.Notebooks;

/// <summary>
/// A value shown by <c>display(value)</c> (nbformat's <c>display_data</c>) or the cell's own value, when its last line
/// is an expression (<c>execute_result</c>, <see cref="IsResult"/>). <see cref="Data"/> maps a mime type
/// (<c>text/html</c>, <c>text/plain</c>) to the value rendered in it; JSON mime types hold JSON text.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput
{
    public bool IsResult { get; init; }

    /// <summary>The execution count an <c>execute_result</c> carries; null for <c>display_data</c>.</summary>
    public int? ExecutionCount { get; init; }

    public JsonElement Metadata { get; init; } = JupyterJson.EmptyObject;
}
