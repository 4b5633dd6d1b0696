using Microsoft.DotNet.Interactive.Formatting;

namespace Walkthrough.Notebooks;

/// <summary>
/// Renders a displayed value the way the notebook kernel does, with the formatters registered with
/// Microsoft.DotNet.Interactive.Formatting (the kit registers its own when the library loads) and the same package
/// version as the kernel: in each mime type the value's type prefers — HTML for most values, plain text for strings,
/// HTML, SVG and text for a figure — unless the cell asks for others.
/// </summary>
internal static class DisplayFormatting
{
    public static Dictionary<string, string> Render(object? value, IReadOnlyList<string> mimeTypes) =>
        (mimeTypes.Count > 0 ? mimeTypes : Formatter.GetPreferredMimeTypesFor(value?.GetType() ?? typeof(object)))
            .Distinct().ToDictionary(mimeType => mimeType, mimeType => value.ToDisplayString(mimeType));
}
