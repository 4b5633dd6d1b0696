using System.Net;
using System.Text.RegularExpressions;

namespace Walkthrough.Notebooks;

/// <summary>
/// The text of an HTML output, for a terminal: what a value the kernel formats as HTML only (a number, a list) reads
/// as without a browser. Styles and scripts go, tags go, entities are decoded.
/// </summary>
public static partial class HtmlText
{
    public static string Of(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(StylesAndScripts().Replace(html, ""), "")).Trim();

    [GeneratedRegex("<(style|script)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex StylesAndScripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
