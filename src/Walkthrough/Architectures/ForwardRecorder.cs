using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// The trace hook: what one forward pass shows of its inside when someone asks. Every architecture calls it as
/// <c>recorder?.Residual(...)</c> and <c>recorder?.Attention(...)</c>, so an ordinary forward pass (no recorder)
/// evaluates nothing and allocates nothing. Recorded tensors stay on the model's device in its dtype, detached from
/// every dispose scope: the recorder owns them until <see cref="Inside.ForwardTrace"/> takes them over.
/// </summary>
internal sealed class ForwardRecorder(int layers, IReadOnlySet<int> attentionLayers, IReadOnlyList<int>? heads) : IDisposable
{
    private readonly Tensor?[] _residuals = new Tensor?[layers + 1];
    private readonly Dictionary<int, Tensor> _attention = [];

    /// <summary>The residual stream (B, T, hidden) entering layer 0 (<paramref name="index"/> 0) or leaving layer index − 1.</summary>
    public void Residual(int index, Tensor x)
    {
        _residuals[index]?.Dispose();
        _residuals[index] = x[0].detach().DetachFromDisposeScope();                      // (T, hidden), shares x's storage
    }

    /// <summary>
    /// The attention probabilities softmax(q·kᵀ/√d + mask) of one layer, from the arguments scaled dot-product
    /// attention gets: q (B, heads, T, d); k (B, kv_heads, S, d), before any grouped-query repeat; mask as SDPA
    /// reads it (bool: true = may look; float: added to the scores, e.g. ALiBi) or null with <paramref name="isCausal"/>.
    /// </summary>
    public void Attention(int layer, Tensor q, Tensor k, Tensor? mask, bool isCausal)
    {
        if (!attentionLayers.Contains(layer)) return;
        using var scope = NewDisposeScope();
        var (queryHeads, keys) = (q.shape[1], k.shape[2]);
        var selected = tensor((heads ?? Enumerable.Range(0, (int)queryHeads).ToList()).Select(h => (long)h).ToArray(), int64, q.device);
        var groupSize = queryHeads / k.shape[1];                                           // query heads per key/value head
        var queries = q[0].index_select(0, selected).to(float32);                          // (h, T, d)
        using Scalar group = groupSize, root = Math.Sqrt(q.shape[^1]);                    // held through the calls: see Scalars
        var shared = k[0].index_select(0, selected.div(group, rounding_mode: RoundingMode.floor)).to(float32); // (h, S, d)
        var scores = queries.matmul(shared.transpose(1, 2)).div(root);                    // (h, T, S)
        if (isCausal) mask = AttentionMask.Causal(q.shape[2], keys - q.shape[2], window: null, q.device);
        if (mask is not null)
        {
            var m = mask.dim() == 4 ? mask[0] : mask;                                        // (T, S) or (heads, T, S)
            if (m.dim() == 3 && m.shape[0] == queryHeads) m = m.index_select(0, selected);
            scores = m.dtype == ScalarType.Bool ? scores.masked_fill(m.logical_not(), Scalars.MinusInfinity) : scores.add(m.to(float32), Scalars.One);
        }
        _attention[layer] = scores.softmax(-1).to(q.dtype).DetachFromDisposeScope();
    }

    /// <summary>Hands the recorded tensors over: residuals 0…layers, and attention (heads, T, S) by layer.</summary>
    public (Tensor[] Residuals, IReadOnlyDictionary<int, Tensor> Attention) Take()
    {
        if (_residuals.Any(r => r is null)) throw new InvalidOperationException("The forward pass did not record every layer's residual stream.");
        var taken = (_residuals.Select(r => r!).ToArray(), (IReadOnlyDictionary<int, Tensor>)new Dictionary<int, Tensor>(_attention));
        Array.Clear(_residuals);
        _attention.Clear();
        return taken;
    }

    public void Dispose()
    {
        foreach (var r in _residuals) r?.Dispose();
        foreach (var a in _attention.Values) a.Dispose();
        Array.Clear(_residuals);
        _attention.Clear();
    }
}
