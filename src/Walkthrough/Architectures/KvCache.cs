using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// The keys and values of every token seen so far, per layer. With it, each new token costs one position of work
/// instead of re-reading the whole prompt: prefill fills it, every decode step appends one position.
/// Each layer's keys and values live in a buffer with room for more positions, written in place: appending a token
/// copies that token only, where concatenating copied the whole cache at every step (on the bundled model, 6 layers
/// × 2 copies of up to 192 positions a step). Room is a power of two of positions (at least 64, never past the model's
/// context), so a text of n tokens reserves less than 2n and growing it copies less than 2n positions in all.
/// </summary>
public sealed class KvCache : IDisposable
{
    private const long FirstRoom = 64; // positions

    private readonly Layer?[] _layers;
    private readonly long _maxPositions;

    /// <param name="maxPositions">The most positions it will ever hold (the model's context): room stops growing there.</param>
    public KvCache(int layers, long maxPositions = long.MaxValue)
    {
        _layers = new Layer?[layers];
        _maxPositions = maxPositions;
    }

    /// <summary>Tokens cached so far.</summary>
    public long Length => _layers[0]?.Length ?? 0;

    /// <summary>Bytes of the keys and values of the <see cref="Length"/> tokens held.</summary>
    public long Bytes => _layers.Sum(l => l is null ? 0 : 2 * l.Length * l.Keys.shape[0] * l.Keys.shape[1] * l.Keys.shape[3] * l.Keys.ElementSize);

    /// <summary>Bytes of the buffers, the room not yet written included: what the cache takes from memory.</summary>
    public long ReservedBytes => _layers.Sum(l => l is null ? 0 : (l.Keys.NumberOfElements + l.Values.NumberOfElements) * l.Keys.ElementSize);

    /// <summary>Appends this step's keys and values (B, kv_heads, T, head_dim) and returns everything cached for the layer.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var length = _layers[layer]?.Length ?? 0;
        var added = keys.size(2);
        var entry = _layers[layer] = Room(_layers[layer], keys, values, length + added);
        if (OneToken.AppliesToHeads(keys) && OneToken.AppliesToHeads(values) && entry.Keys.dtype == keys.dtype && entry.Values.dtype == values.dtype)
        {
            OneToken.Write(entry.Keys, length, keys); // a decode step's token
            OneToken.Write(entry.Values, length, values);
        }
        else
        {
            using (no_grad())
            {
                entry.Keys.narrow(2, length, added).copy_(keys);
                entry.Values.narrow(2, length, added).copy_(values);
            }
        }
        entry.Length = length + added;
        // The cache owns its buffers (detached from every dispose scope); callers get views their scope may free.
        return (entry.Keys.narrow(2, 0, entry.Length), entry.Values.narrow(2, 0, entry.Length));
    }

    /// <summary>Keeps the first <paramref name="length"/> positions, e.g. to step back and force another token.</summary>
    public void Truncate(long length)
    {
        foreach (var entry in _layers)
            if (entry is not null && entry.Length > length) entry.Length = Math.Max(0, length);
    }

    public void Dispose()
    {
        foreach (var entry in _layers)
        {
            entry?.Keys.Dispose();
            entry?.Values.Dispose();
        }
        Array.Clear(_layers);
    }

    // The layer's buffers, with room for `needed` positions: the old ones, or bigger ones holding what they held.
    private Layer Room(Layer? entry, Tensor keys, Tensor values, long needed)
    {
        if (needed <= (entry?.Room ?? 0)) return entry!;
        var grown = Math.Min(Math.Max(FirstRoom, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)needed)), Math.Max(needed, _maxPositions));
        var bigger = new Layer(Buffer(keys, grown), Buffer(values, grown));
        if (entry is not null)
        {
            using (no_grad())
            {
                bigger.Keys.narrow(2, 0, entry.Length).copy_(entry.Keys.narrow(2, 0, entry.Length));
                bigger.Values.narrow(2, 0, entry.Length).copy_(entry.Values.narrow(2, 0, entry.Length));
            }
            bigger.Length = entry.Length;
            entry.Keys.Dispose();
            entry.Values.Dispose();
        }
        return bigger;
    }

    private static Tensor Buffer(Tensor like, long positions) =>
        empty([like.shape[0], like.shape[1], positions, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();

    private sealed class Layer(Tensor keys, Tensor values)
    {
        public Tensor Keys { get; } = keys;     // (B, kv_heads, room, head_dim)
        public Tensor Values { get; } = values;
        public long Room { get; } = keys.size(2); // positions it has space for
        public long Length { get; set; }
    }
}
