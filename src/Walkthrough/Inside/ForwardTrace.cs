using Walkthrough.Checkpoints;
using Walkthrough.Display;
using Walkthrough.Tokens;
using static TorchSharp.torch;

namespace Walkthrough.Inside;

/// <summary>
/// One forward pass seen from inside: the vector of each token as it enters the first layer, the residual stream
/// after every layer, and the attention probabilities of the layers and heads asked for. Everything stays on the
/// model's device in its dtype until a view (<see cref="Lens(int)"/>, <see cref="Attention(int)"/>, <see cref="Embeddings"/>)
/// copies out what it shows. The trace owns its tensors: dispose it (<c>using var trace = ...</c>) to free them;
/// it reads the model's norm and output head, so it lives no longer than the model.
/// </summary>
public sealed class ForwardTrace : IDisposable
{
    private readonly LanguageModel _model;
    private const long LensCells = 16L * 1024 * 1024;          // scores the lens holds at once: 64 MiB in float32

    private readonly Tensor[] _residuals;                      // (layers + 1) × (T, hidden)
    private readonly IReadOnlyDictionary<int, Tensor> _attention; // layer → (recorded heads, T, T)
    private bool _disposed;

    internal ForwardTrace(LanguageModel model, string prompt, IReadOnlyList<Token> tokens, Tensor[] residuals,
        IReadOnlyDictionary<int, Tensor> attention, IReadOnlyList<int> heads, float[] nextLogits)
    {
        _model = model;
        Prompt = prompt;
        Tokens = tokens;
        _residuals = residuals;
        _attention = attention;
        AttentionLayers = attention.Keys.Order().ToList();
        AttentionHeads = heads;
        NextLogits = nextLogits;
    }

    public string Prompt { get; }

    /// <summary>The prompt's tokens, one per position.</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>Decoder layers the pass went through (residual streams 1 … Layers come after them).</summary>
    public int Layers => _residuals.Length - 1;

    /// <summary>Layers whose attention was recorded.</summary>
    public IReadOnlyList<int> AttentionLayers { get; }

    /// <summary>Query heads recorded in each of those layers.</summary>
    public IReadOnlyList<int> AttentionHeads { get; }

    /// <summary>The pass's own logits for the last position: what the model predicts next, as an ordinary forward pass gives it.</summary>
    public float[] NextLogits { get; }

    /// <summary>Bytes the trace holds on the model's device.</summary>
    public long Bytes => _residuals.Sum(SizeOf) + _attention.Values.Sum(SizeOf);

    /// <summary>
    /// The residual stream (T, hidden): <paramref name="layer"/> 0 is what enters the first layer (the token
    /// embeddings; GPT-2 adds the position embeddings), n is the stream after decoder layer n (1 … <see cref="Layers"/>).
    /// The tensor belongs to the trace: read it, do not dispose it.
    /// </summary>
    public Tensor Residual(int layer)
    {
        ThrowIfDisposed();
        if (layer < 0 || layer > Layers)
            throw new WalkthroughException($"There is no residual stream {layer}: 0 is the embeddings, 1 to {Layers} come after each layer.");
        return _residuals[layer];
    }

    /// <summary>Each prompt token's vector as the first layer receives it: one row per position.</summary>
    public EmbeddingRows Embeddings(int columns = EmbeddingRows.DefaultColumns)
    {
        using var scope = NewDisposeScope();
        var rows = Residual(0);
        return EmbeddingRows.From(Tokens.Select(t => t.Id).ToList(), Tokens.Select(t => t.Text).ToList(), rows, columns);
    }

    /// <summary>The attention of one recorded head: query × key probabilities with the tokens as labels.</summary>
    public AttentionMap Attention(int layer, int head)
    {
        var probabilities = AttentionOf(layer);
        var index = IndexOfHead(head);
        using var scope = NewDisposeScope();
        return AttentionMap.From(layer, head, _model.Config.Heads / _model.Config.KeyValueHeads, Tokens, Matrices.Rows(probabilities[index]), Window);
    }

    /// <summary>Every recorded head of a layer, and which token each looks at most from the last position.</summary>
    public AttentionLayer Attention(int layer) => new(layer, AttentionHeads.Select(h => Attention(layer, h)).ToList());

    /// <summary>
    /// The logit lens (nostalgebraist 2020): the final norm and output head applied to the residual stream after each
    /// layer, read as a prediction for the next token at every position — the top <paramref name="top"/> tokens per cell.
    /// </summary>
    public LogitLens Lens(int top = 1) => Lens(top, ..);

    /// <summary>
    /// The lens of some positions only, at the cost of those alone: a causal model's earlier positions do not change
    /// when tokens are added, so a text that grew needs only its new columns (<c>trace.Lens(3, 40..)</c>).
    /// </summary>
    public LogitLens Lens(int top, Range positions)
    {
        if (top < 1) throw new WalkthroughException($"top {top}: ask for at least 1 token per cell.");
        ThrowIfDisposed();
        var from = positions.Start.GetOffset(Tokens.Count);
        var count = positions.End.GetOffset(Tokens.Count) - from;
        if (from < 0 || count < 1 || from + count > Tokens.Count)
            throw new WalkthroughException($"Positions {positions} are not a run of the prompt's {Tokens.Count} tokens (numbered 0 to {Tokens.Count - 1}).");
        var k = Math.Min(top, _model.Config.VocabularySize);
        // Several layers' rows go through the output head at once, so its matrix is read once for them, not once per
        // layer (a column alone costs a tenth); at most LensCells scores are held at a time.
        var group = (int)Math.Clamp(LensCells / ((long)count * _model.Config.VocabularySize), 1, Layers + 1);
        var layers = new List<LensLayer>();
        for (var first = 0; first <= Layers; first += group)
        {
            var chosen = Enumerable.Range(first, Math.Min(group, Layers + 1 - first)).ToList();
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var rows = cat(chosen.Select(l => _residuals[l].narrow(0, from, count)).ToList(), 0);            // (layers × count, hidden)
            var probabilities = _model.Module.Unembed(rows).to(float32).softmax(-1);                        // (layers × count, vocab)
            var (values, indices) = probabilities.topk(k, dim: -1);
            var p = Matrices.Rows(values);
            var ids = Matrices.Rows(indices.to(float32));
            foreach (var (layer, n) in chosen.Select((l, n) => (l, n)))
                layers.Add(new LensLayer(layer, Enumerable.Range(n * count, count).Select(r => new LensPosition(
                    Enumerable.Range(0, k).Select(j => Prediction((int)ids[r][j], p[r][j])).ToList())).ToList()));
        }
        return new LogitLens(_model.Name, Tokens.Skip(from).Take(count).ToList(), layers);
    }

    /// <summary>Every logit of one lens cell: the output head read at <paramref name="position"/> after <paramref name="layer"/>.</summary>
    public float[] Logits(int layer, int position)
    {
        var residual = Residual(layer);
        if (position < 0 || position >= Tokens.Count)
            throw new WalkthroughException($"There is no position {position}: the prompt has {Tokens.Count} tokens, numbered 0 to {Tokens.Count - 1}.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Matrices.Vector(_model.Module.Unembed(residual[position]));
    }

    public override string ToString() =>
        $"trace of {Tokens.Count} tokens through {_model.Name}: residual stream at {Layers + 1} points × {_model.Config.HiddenSize} numbers; " +
        (AttentionLayers.Count == 0 ? "no attention" : $"attention of layer{(AttentionLayers.Count == 1 ? "" : "s")} {string.Join(", ", AttentionLayers)} × {AttentionHeads.Count} of {_model.Config.Heads} heads") +
        $"; {Units.Bytes(Bytes)} on {_model.Device} in {_model.DtypeName}";

    public string ToHtml() => $"<p>{Html.Encode(ToString())}</p>";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var r in _residuals) r.Dispose();
        foreach (var a in _attention.Values) a.Dispose();
    }

    // Mistral's sliding window hides keys further back than the window; the other architectures see every earlier token.
    private int? Window => _model.Config.Architecture is Architecture.Llama or Architecture.Mistral or Architecture.Qwen2 ? _model.Config.SlidingWindow : null;

    private LensPrediction Prediction(int id, float probability) => new(id, _model.Tokenizer.Describe(id).Text, probability);

    private Tensor AttentionOf(int layer)
    {
        ThrowIfDisposed();
        if (_attention.TryGetValue(layer, out var probabilities)) return probabilities;
        if (layer < 0 || layer >= Layers) throw new WalkthroughException($"There is no layer {layer}: {_model.Name} has {Layers} layers, numbered 0 to {Layers - 1}.");
        throw new WalkthroughException(
            $"Layer {layer}'s attention was not recorded ({(AttentionLayers.Count == 0 ? "none was" : "only layer " + string.Join(", ", AttentionLayers))}): " +
            $"trace again with new TraceOptions {{ AttentionLayers = [{layer}] }}.");
    }

    private int IndexOfHead(int head)
    {
        var index = AttentionHeads.ToList().IndexOf(head);
        if (index >= 0) return index;
        if (head < 0 || head >= _model.Config.Heads)
            throw new WalkthroughException($"There is no head {head}: {_model.Name} has {_model.Config.Heads} heads per layer, numbered 0 to {_model.Config.Heads - 1}.");
        throw new WalkthroughException($"Head {head} was not recorded (only {string.Join(", ", AttentionHeads)}): trace again with new TraceOptions {{ AttentionHeads = [{head}] }}.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static long SizeOf(Tensor t) => t.NumberOfElements * t.ElementSize;
}
