using System.Globalization;

namespace Walkthrough.Display;

/// <summary>
/// Maps 0..1 to a colour. <see cref="Blues"/> runs from near-white to dark blue, so high values are dark and stand out;
/// <see cref="RedBlue"/> is for signed values: blue below the middle, white at it, red above.
/// </summary>
public sealed record ColourScale(string Name, IReadOnlyList<string> Stops)
{
    public static readonly ColourScale Blues = new("Blues", ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]);

    public static readonly ColourScale RedBlue = new("RedBlue", ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"]);

    /// <summary>The colour at <paramref name="t"/> (clamped to 0..1), blended between the nearest stops.</summary>
    public string At(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        var position = t * (Stops.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, Stops.Count - 1);
        var (a, b) = (Rgb(Stops[low]), Rgb(Stops[high]));
        var f = position - low;
        return $"#{Mix(a.R, b.R, f):x2}{Mix(a.G, b.G, f):x2}{Mix(a.B, b.B, f):x2}";
    }

    /// <summary>Whether text on the colour at <paramref name="t"/> must be white to be read.</summary>
    public bool IsDark(double t)
    {
        var (r, g, b) = Rgb(At(t));
        return 0.299 * r + 0.587 * g + 0.114 * b < 140;
    }

    private static int Mix(int a, int b, double f) => (int)Math.Round(a + (b - a) * f);

    private static (int R, int G, int B) Rgb(string hex) =>
        (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
