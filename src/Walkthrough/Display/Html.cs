using System.Net;

namespace Walkthrough.Display;

/// <summary>Small helpers the HTML displays share: escaping, and one colour per token position.</summary>
internal static class Html
{
    // Soft pastel colours that keep black text readable, cycled by token position as playgrounds do.
    private static readonly string[] Palette =
        ["#fde68a", "#bbf7d0", "#bfdbfe", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc", "#d9f99d"];

    public const string SpecialColour = "#e5e7eb";

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static string Colour(int index) => Palette[index % Palette.Length];

    public const string TableStyle =
        "border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px";

    public const string CellStyle = "border:1px solid #d1d5db;padding:2px 8px;text-align:left";
}
