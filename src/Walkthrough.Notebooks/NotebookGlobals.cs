namespace Walkthrough.Notebooks;

/// <summary>
/// What every cell sees besides its own variables. Named as in the Polyglot C# kernel, so a cell runs the same in
/// VS Code and here.
/// </summary>
public sealed class NotebookGlobals
{
    internal OutputRecorder? Recorder { get; set; }

    /// <summary>
    /// Shows a value below the cell, in the mime types its type prefers, as the kernel does (or in those given, such as
    /// <c>"text/plain"</c>). The kernel's <c>display</c> returns a handle for updating the value in place; here it
    /// returns nothing, so call it as a statement: <c>display(table);</c>.
    /// </summary>
    public void display(object? value, params string[] mimeTypes) =>
        (Recorder ?? throw new InvalidOperationException("display() was called outside a running cell."))
            .Add(new DisplayOutput(DisplayFormatting.Render(value, mimeTypes)));
}
