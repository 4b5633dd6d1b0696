namespace Walkthrough.Inside;

/// <summary>
/// Which positions of a prompt a chart draws: all of them, or a cut a cell asks for (<c>queries: 250..262</c>). A
/// picture has room for so many cells only; a longer prompt is refused with the cut to ask for instead of an image
/// too big for a notebook.
/// </summary>
internal static class ChartPositions
{
    /// <summary>Positions per axis a chart draws at most: a 64 × 64 map is 4,096 cells.</summary>
    public const int Most = 64;

    /// <summary>The positions of <paramref name="range"/> among <paramref name="count"/>, checked.</summary>
    public static List<int> Cut(int count, Range? range, string what, string hint)
    {
        var (start, end) = range is { } r ? (r.Start.GetOffset(count), r.End.GetOffset(count)) : (0, count);
        if (start < 0 || end > count || start >= end)
            throw new WalkthroughException($"{what} {range}: there are {count} positions, numbered 0 to {count - 1}; give a range inside them, such as ..{Math.Min(count, 8)}.");
        if (end - start > Most)
            throw new WalkthroughException($"{end - start} {what} are more than a chart draws ({Most}): cut out a part, {hint}.");
        return Enumerable.Range(start, end - start).ToList();
    }
}
