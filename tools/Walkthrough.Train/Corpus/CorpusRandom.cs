using Walkthrough.Inference;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// The library's SplitMix64 with a few helpers for picking phrases. Not System.Random, whose algorithm is not
/// promised to stay the same, so a seed gives the same corpus on every machine and .NET version. Only integer
/// arithmetic: no floating point that could round differently anywhere.
/// </summary>
public sealed class CorpusRandom(ulong seed)
{
    private readonly SplitMix64 _bits = new(seed);

    /// <summary>The next 64 random bits.</summary>
    public ulong Next() => _bits.Next();

    /// <summary>A seed for the index-th document of a corpus, so each document can be made on its own.</summary>
    public static ulong Derive(int seed, long index) =>
        new CorpusRandom(((ulong)(uint)seed << 32) ^ (ulong)index * 0xD1B54A32D192ED03UL).Next();

    /// <summary>0 ≤ result &lt; count. The modulo bias is below 1e-15 for the small counts used here.</summary>
    public int Below(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(Next() % (ulong)count);
    }

    /// <summary>low ≤ result ≤ high.</summary>
    public int Between(int low, int high) => low + Below(high - low + 1);

    /// <summary>True with the given chance, in percent.</summary>
    public bool Percent(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>Picks one of the items, each as likely as its weight (any positive integers).</summary>
    public T Weighted<T>(IReadOnlyList<(T Item, int Weight)> items)
    {
        var total = 0;
        foreach (var (_, weight) in items) total += weight;
        var roll = Below(total);
        foreach (var (item, weight) in items)
        {
            if (roll < weight) return item;
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable: the roll is below the total weight");
    }

    /// <summary>count distinct items, in random order (a partial Fisher-Yates shuffle of a copy).</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        var copy = items.ToList();
        count = Math.Min(count, copy.Count);
        for (var i = 0; i < count; i++)
        {
            var j = i + Below(copy.Count - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.GetRange(0, count);
    }

    /// <summary>count distinct indices below n, in increasing order: for picking facts that keep their order.</summary>
    public List<int> OrderedSubset(int n, int count)
    {
        var chosen = Sample(Enumerable.Range(0, n).ToList(), count);
        chosen.Sort();
        return chosen;
    }
}
