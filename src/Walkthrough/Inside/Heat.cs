using System.Globalization;

namespace Walkthrough.Inside;

/// <summary>Table cells shaded by a value from 0 to 1 — the HTML stand-in for a heatmap.</summary>
internal static class Heat
{
    public const string Hidden = "background:#f3f4f6;color:#9ca3af";

    public static string Style(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        var alpha = (0.08 + 0.82 * v).ToString("0.00", CultureInfo.InvariantCulture);
        return $"background:rgba(37,99,235,{alpha});color:{(v > 0.55 ? "#fff" : "#111827")}";
    }
}
