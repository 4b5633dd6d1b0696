using System.Globalization;
using System.Text.RegularExpressions;

namespace Walkthrough.Hardware;

/// <summary>
/// Reads a GPU's memory as people write it: "16GB", "16 GiB", "512MiB" or a plain number of bytes. GPU makers sell
/// memory in binary units — a "16 GB" V100 has 16 × 2³⁰ bytes, the 16,384 MiB nvidia-smi shows — so GB and GiB (MB and
/// MiB, TB and TiB) both mean powers of 1024 here, and the reading says so. A plain number is bytes, exactly.
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
        var multiplier = match.Groups["prefix"].Value.ToUpperInvariant() switch
        {
            "K" => 1024m,
            "M" => 1024m * 1024,
            "G" => 1024m * 1024 * 1024,
            "T" => 1024m * 1024 * 1024 * 1024,
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

    /// <summary>How a size was read, for a GPU's <see cref="Gpu.Source"/>: "16GB, read as 16 GiB (17,179,869,184 bytes) …".</summary>
    public static string Reading(string given, long bytes)
    {
        var match = SizePattern().Match(given.Trim());
        var exact = bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        if (!match.Success || match.Groups["prefix"].Value.Length == 0) return $"you gave {given.Trim()} ({exact})";
        var unit = match.Groups["prefix"].Value.ToUpperInvariant() + "iB";
        var binary = $"{match.Groups["number"].Value} {unit}";
        return match.Groups["binary"].Value.Length > 0
            ? $"you gave {given.Trim()} ({exact})"
            : $"you gave {given.Trim()}, read as {binary} ({exact}): GPU memory is sold in binary units; give a number of bytes for anything else";
    }

    /// <summary>The size as the GPU's name: 17179869184 → "16 GiB".</summary>
    public static string Binary(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB",
        _ => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes",
    };

    [GeneratedRegex(@"^(?<number>[+-]?\d+(\.\d+)?)\s*((?<prefix>[KMGT])(?<binary>i?)B|B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
