using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// The keys and values of every token seen so far, per layer. With it, each new token costs one position of work
/// instead of re-reading the whole prompt: prefill fills it, every decode step appends one position.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly (Tensor Keys, Tensor Values)?[] _layers;

    public KvCache(int layers) => _layers = new (Tensor, Tensor)?[layers];

    /// <summary>Tokens cached so far.</summary>
    public long Length => _layers[0]?.Keys.shape[2] ?? 0;

    /// <summary>Bytes the cache holds now.</summary>
    public long Bytes => _layers.Where(l => l is not null).Sum(l => l!.Value.Keys.NumberOfElements * l.Value.Keys.ElementSize * 2);

    /// <summary>Appends this step's keys and values (B, kv_heads, T, head_dim) and returns everything cached for the layer.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (_layers[layer] is { } past)
        {
            var allKeys = cat([past.Keys, keys], dim: 2).DetachFromDisposeScope();
            var allValues = cat([past.Values, values], dim: 2).DetachFromDisposeScope();
            past.Keys.Dispose();
            past.Values.Dispose();
            _layers[layer] = (allKeys, allValues);
        }
        else
        {
            _layers[layer] = (keys.alias().DetachFromDisposeScope(), values.alias().DetachFromDisposeScope());
        }
        // The cache owns its tensors (detached from every dispose scope); callers get aliases their scope may free.
        var (k, v) = _layers[layer]!.Value;
        return (k.alias(), v.alias());
    }

    /// <summary>Keeps the first <paramref name="length"/> positions, e.g. to step back and force another token.</summary>
    public void Truncate(long length)
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is not { } entry || entry.Keys.shape[2] <= length) continue;
            var keys = entry.Keys[.., .., ..(int)length].contiguous().DetachFromDisposeScope();
            var values = entry.Values[.., .., ..(int)length].contiguous().DetachFromDisposeScope();
            entry.Keys.Dispose();
            entry.Values.Dispose();
            _layers[i] = (keys, values);
        }
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
}
