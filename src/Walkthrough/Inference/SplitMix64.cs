namespace Walkthrough.Inference;

/// <summary>
/// A tiny, fully specified random generator (Steele et al.'s SplitMix64): the same seed gives the same draws on
/// every machine and .NET version, which System.Random does not promise.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Where the sequence stands: new SplitMix64(State) goes on with the same draws.</summary>
    public ulong State => _state;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
