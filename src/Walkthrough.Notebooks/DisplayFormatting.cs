using Microsoft.DotNet.Interactive.Formatting;

namespace Walkthrough.Notebooks;

/// <summary>
/// Renders a displayed value the way the notebook kernel does, with the formatters registered with
/// Microsoft.DotNet.Interactive.Formatting (the kit registers its own when the library loads).
/// </summary>
internal static class DisplayFormatting
{
    /// <summary>What a cell stores unless it asks for other mime types: HTML for notebooks, plain text for terminals.</summary>
    public static readonly IReadOnlyList<string> DefaultMimeTypes = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType];

    public static Dictionary<string, string> Render(object? value, IReadOnlyList<string> mimeTypes) =>
        mimeTypes.Distinct().ToDictionary(mimeType => mimeType, mimeType => value.ToDisplayString(mimeType));
}
