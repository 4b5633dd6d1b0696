using Walkthrough.Checkpoints;
using Walkthrough.Inside;
using Walkthrough.Tokens;

namespace Walkthrough.Play;

/// <summary>
/// What the inside view has traced of one page's text: its tokens, the logit lens of every position, and the attention
/// maps of the layers recorded. A causal model's earlier positions do not change when tokens are added, so a step only
/// adds a column to the lens (the trace reads the new position alone through the output head), an undo reads a shorter
/// part of what is here without any pass, and another head (or layer, when every layer fitted) reads from here too.
/// It keeps at most <see cref="MaxAttentionBytes"/> of maps, or one layer's when that alone is more.
/// </summary>
internal sealed class InsideCache
{
    /// <summary>Attention maps one page may keep: every layer of the bundled model at 128 tokens (2.8 MiB) fits.</summary>
    public const long MaxAttentionBytes = 4L * 1024 * 1024;

    /// <summary>Tokens each lens cell names (the page shows the first, and the others on hover).</summary>
    public const int LensTop = 3;

    private readonly List<int> _ids = [];
    private readonly List<Token> _tokens = [];
    private readonly List<List<LensPosition>> _lens = [];   // lens layer → position → its guesses
    private readonly List<AttentionLayer> _layers = [];     // newest last: when a layer must make room, the oldest go

    /// <summary>Positions this cache knows for <paramref name="ids"/>: the run of tokens they share with the traced text.</summary>
    public int Known(IReadOnlyList<int> ids)
    {
        var shared = 0;
        while (shared < ids.Count && shared < _ids.Count && ids[shared] == _ids[shared]) shared++;
        return shared;
    }

    /// <summary>Whether <paramref name="ids"/> (the traced text, or a shorter run of it) can be drawn at this layer with no pass.</summary>
    public bool Holds(IReadOnlyList<int> ids, int layer) => Known(ids) == ids.Count && _layers.Any(l => l.Layer == layer);

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

    private long AttentionBytes => _layers.Sum(l => l.Heads.Count * Cells(l.Heads[0].Weights.Length));

    /// <summary>
    /// Takes in a trace of <paramref name="ids"/>: the lens of the positions not known yet, and the attention it recorded.
    /// Maps of a shorter text are kept (cut to it) only when the text did not grow; a grown text needs every row again.
    /// </summary>
    public void Add(IReadOnlyList<int> ids, ForwardTrace trace)
    {
        var known = Known(ids);
        if (known < ids.Count) _layers.Clear();
        else for (var i = 0; i < _layers.Count; i++) _layers[i] = Cut(_layers[i], known);
        foreach (var row in _lens) row.RemoveRange(known, row.Count - known);
        if (known < ids.Count)
        {
            var added = trace.Lens(LensTop, known..);
            if (_lens.Count == 0) _lens.AddRange(added.Layers.Select(_ => new List<LensPosition>()));
            foreach (var (row, layer) in _lens.Zip(added.Layers)) row.AddRange(layer.Positions);
        }
        _ids.Clear();
        _ids.AddRange(ids);
        _tokens.Clear();
        _tokens.AddRange(trace.Tokens);
        foreach (var layer in trace.AttentionLayers)
        {
            _layers.RemoveAll(l => l.Layer == layer);
            _layers.Add(trace.Attention(layer));
        }
        while (_layers.Count > 1 && AttentionBytes > MaxAttentionBytes) _layers.RemoveAt(0);
    }

    /// <summary>The first <paramref name="count"/> positions' tokens.</summary>
    public IReadOnlyList<Token> Tokens(int count) => _tokens.Take(count).ToList();

    /// <summary>The lens of the first <paramref name="count"/> positions: row 0 the embeddings, row n after n layers.</summary>
    public IEnumerable<IReadOnlyList<LensPosition>> Lens(int count) => _lens.Select(row => (IReadOnlyList<LensPosition>)row.Take(count).ToList());

    /// <summary>A recorded layer's maps, cut to the first <paramref name="count"/> positions.</summary>
    public AttentionLayer Layer(int layer, int count) => Cut(_layers.Single(l => l.Layer == layer), count);

    // The maps of a shorter run of the text: causal attention of those rows never looked past them.
    private static AttentionLayer Cut(AttentionLayer layer, int count) =>
        layer.Heads[0].Weights.Length == count ? layer : layer with
        {
            Heads = [.. layer.Heads.Select(map => map with
            {
                Tokens = map.Tokens.Take(count).ToList(),
                Weights = [.. map.Weights.Take(count).Select(row => row[..count])],
                Allowed = [.. map.Allowed.Take(count).Select(row => row[..count])],
            })],
        };
}
