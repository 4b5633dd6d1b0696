using System.Globalization;
using System.Text.RegularExpressions;

namespace Walkthrough.Hardware;

/// <summary>
/// Reads a memory size as people write it: "24GB", "16 GiB", "512MiB" or a plain number of bytes. GB, MB, KB and
/// TB are powers of 1000, GiB, MiB, KiB and TiB powers of 1024 — "24GB" and "24GiB" differ by 1.7 GB.
/// </summary>
internal static partial class ByteSize
{
    /// <summary>No single GPU comes near this (the largest hold under 300 GB); anything above is a typo.</summary>
    public const long MaxGpuBytes = 4L << 40;

    /// <summary>The size in bytes, or null when the text is not a size at all.</summary>
    public static long? TryParse(string text)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success) return null;
        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToUpperInvariant();
        var multiplier = unit switch
        {
            "KB" => 1e3m,
            "MB" => 1e6m,
            "GB" => 1e9m,
            "TB" => 1e12m,
            "KIB" => 1024m,
            "MIB" => 1024m * 1024,
            "GIB" => 1024m * 1024 * 1024,
            "TIB" => 1024m * 1024 * 1024 * 1024,
            _ => 1m, // "" or "B": bytes
        };
        var bytes = number * multiplier;
        if (bytes <= 0)
            throw new WalkthroughException($"GPU memory \"{text}\" must be more than zero bytes.");
        if (bytes > MaxGpuBytes)
            throw new WalkthroughException(
                $"GPU memory \"{text}\" is more than any single GPU holds (the largest have under 300 GB): give the memory of one GPU, e.g. 80GB.");
        return (long)decimal.Floor(bytes);
    }

    /// <summary>Bytes in decimal gigabytes, as a size given in GB reads back: 24000000000 → "24 GB".</summary>
    public static string Decimal(long bytes) => (bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " GB";

    [GeneratedRegex(@"^(?<number>[+-]?\d+(\.\d+)?)\s*(?<unit>[KMGT]i?B|B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
