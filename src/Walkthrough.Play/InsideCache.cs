using Walkthrough.Checkpoints;
using Walkthrough.Inside;

namespace Walkthrough.Play;

/// <summary>
/// What the inside view last traced for one page: the text's ids, its logit lens, and the attention maps of the
/// layers recorded. Choosing another head (and another layer, when every layer fitted) reads from here with no
/// forward pass; a step, force, undo or new prompt changes the ids, and the next request traces again.
/// It keeps at most <see cref="MaxAttentionBytes"/> of maps, or one layer's when that alone is more.
/// </summary>
internal sealed class InsideCache
{
    /// <summary>Attention maps one page may keep: every layer of the bundled model at 128 tokens (2.8 MiB) fits.</summary>
    public const long MaxAttentionBytes = 4L * 1024 * 1024;

    /// <summary>Tokens each lens cell names (the page shows the first, and the others on hover).</summary>
    public const int LensTop = 3;

    // Newest last: when a layer must make room, the oldest ones go.
    private readonly List<AttentionLayer> _layers = [];

    private InsideCache(IReadOnlyList<int> ids, LogitLens lens)
    {
        Ids = [.. ids];
        Lens = lens;
    }

    public IReadOnlyList<int> Ids { get; }

    public LogitLens Lens { get; }

    /// <summary>Bytes of the maps kept: a float32 weight and a mask flag per query × key, per head.</summary>
    public long AttentionBytes => _layers.Sum(l => l.Heads.Count * Cells(l.Heads[0].Weights.Length));

    /// <summary>The layers a trace of this many tokens records: all of them when they fit, else only the one asked for.</summary>
    public static IReadOnlyList<int> LayersToRecord(ModelConfig config, int tokens, int asked) =>
        (long)config.Layers * config.Heads * Cells(tokens) <= MaxAttentionBytes ? [.. Enumerable.Range(0, config.Layers)] : [asked];

    /// <summary>The most one page's cache holds with this model at <paramref name="tokens"/> tokens: bytes.</summary>
    public static long BytesFor(ModelConfig config, int tokens)
    {
        var maps = Math.Max(MaxAttentionBytes, (long)config.Heads * Cells(tokens));
        var lens = (long)(config.Layers + 1) * tokens * LensTop * 64; // a guess is an id, a shared string and a double, about 64 bytes with its list
        return maps + lens;
    }

    private static long Cells(int tokens) => (long)tokens * tokens * (sizeof(float) + sizeof(bool));

    /// <summary>A cache for a new text, from its first trace.</summary>
    public static InsideCache From(IReadOnlyList<int> ids, ForwardTrace trace)
    {
        var cache = new InsideCache(ids, trace.Lens(LensTop));
        cache.Add(trace);
        return cache;
    }

    public bool Holds(IReadOnlyList<int> ids, int layer) => Ids.SequenceEqual(ids) && _layers.Any(l => l.Layer == layer);

    public bool IsFor(IReadOnlyList<int> ids) => Ids.SequenceEqual(ids);

    /// <summary>Keeps the trace's layers, letting older ones go while the maps are over the limit.</summary>
    public void Add(ForwardTrace trace)
    {
        foreach (var layer in trace.AttentionLayers)
        {
            _layers.RemoveAll(l => l.Layer == layer);
            _layers.Add(trace.Attention(layer));
        }
        while (_layers.Count > 1 && AttentionBytes > MaxAttentionBytes) _layers.RemoveAt(0);
    }

    public AttentionLayer Layer(int layer) => _layers.Single(l => l.Layer == layer);
}
