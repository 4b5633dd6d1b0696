using System.Globalization;
using System.Text;

namespace Walkthrough.Display;

/// <summary>
/// Writes SVG elements with coordinates rounded to a tenth of a pixel (small, stable files). Marks — the shapes that
/// carry data — get the class <c>wt-m</c> and a &lt;title&gt;, which browsers show as a tooltip without any script.
/// </summary>
internal sealed class SvgCanvas
{
    public const double FontSize = 12;

    /// <summary>Average width of a character at <see cref="FontSize"/> in a sans-serif font, for layout.</summary>
    public const double CharWidth = 6.9;

    private readonly StringBuilder svg = new();

    public void Raw(string text) => svg.Append(text);

    public void Rect(double x, double y, double width, double height, string fill, string? tooltip = null, string? extra = null)
    {
        svg.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(width, 0))}\" height=\"{N(Math.Max(height, 0))}\" fill=\"{fill}\"");
        Close("rect", tooltip, extra, tooltip is null ? null : "wt-m");
    }

    public void Circle(double x, double y, double r, string fill, string? tooltip, string? extra = null)
    {
        svg.Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" fill=\"{fill}\"");
        Close("circle", tooltip, extra, "wt-m");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        svg.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        if (dash is not null) svg.Append($" stroke-dasharray=\"{dash}\"");
        svg.Append("/>");
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, string? tooltip)
    {
        svg.Append($"<polyline points=\"{string.Join(" ", points.Select(p => $"{N(p.X)},{N(p.Y)}"))}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\"");
        Close("polyline", tooltip, null, "wt-m");
    }

    public void Path(string d, string stroke, double width = 1) =>
        svg.Append($"<path d=\"{d}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" fill=\"none\"/>");

    /// <param name="anchor">start, middle or end.</param>
    /// <param name="rotate">Degrees about the anchor point; negative turns the text up to the right.</param>
    /// <param name="stroke">False inside a group that outlines its shapes, where text must not be outlined too.</param>
    public void Text(double x, double y, string text, string anchor = "start", double size = FontSize, string fill = "#374151",
        double rotate = 0, bool bold = false, bool stroke = true)
    {
        svg.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{fill}\"");
        if (!stroke) svg.Append(" stroke=\"none\""); // inside a group that outlines its shapes
        if (anchor != "start") svg.Append($" text-anchor=\"{anchor}\"");
        if (bold) svg.Append(" font-weight=\"bold\"");
        if (rotate != 0) svg.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        svg.Append('>').Append(Escape(text)).Append("</text>");
    }

    public override string ToString() => svg.ToString();

    /// <summary>A number as SVG wants it: invariant, at most one decimal.</summary>
    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// Text safe in SVG and HTML alike: markup escaped, and characters XML cannot carry (control characters, a lone
    /// half of a surrogate pair) made visible — a newline token reads ↵.
    /// </summary>
    public static string Escape(string text)
    {
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { safe.Append(c).Append(text[++i]); continue; }
            safe.Append(c switch
            {
                '\n' => "↵",
                '\t' => "⇥",
                '\r' => "␍",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ when c < ' ' || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return safe.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, an ellipsis marking a cut.</summary>
    public static string Fit(string text, int max) => max < 2 ? "" : text.Length <= max ? text : text[..(max - 1)] + "…";

    public static double Width(string text, double size = FontSize) => text.Length * CharWidth * size / FontSize;

    private void Close(string element, string? tooltip, string? extra, string? markClass)
    {
        if (markClass is not null) svg.Append($" class=\"{markClass}\"");
        if (extra is not null) svg.Append(' ').Append(extra);
        if (tooltip is null) svg.Append("/>");
        else svg.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append('>');
    }
}
