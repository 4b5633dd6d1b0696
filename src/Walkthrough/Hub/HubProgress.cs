using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Hub;

/// <summary>
/// Where the download of one file stands: the CLI draws it as a bar, a notebook as lines of text
/// (<see cref="LoadProgressText"/>). The last report of a file has <c>BytesDone == BytesTotal</c>; a resumed download
/// starts from the bytes it already had. <see cref="BytesTotal"/> is null while the hub has not said the size.
/// </summary>
public sealed record HubProgress(string File, long BytesDone, long? BytesTotal, double BytesPerSecond)
{
    /// <summary>The share of the file downloaded, from 0 to 1 (0 while the size is unknown).</summary>
    public double Fraction => BytesTotal switch { null => 0, <= 0 => 1, { } total => Math.Min(1, (double)BytesDone / total) };

    public override string ToString() =>
        $"{File}: {Units.Bytes(BytesDone)} of {(BytesTotal is { } total ? Units.Bytes(total) : "?")} " +
        $"({(Fraction * 100).ToString("0", CultureInfo.InvariantCulture)}%), {Units.Bytes((long)BytesPerSecond)}/s";
}
