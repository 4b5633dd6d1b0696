using Walkthrough.Architectures;
using Walkthrough.Display;
using Walkthrough.Inference;
using Walkthrough.Inside;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

public sealed partial class LanguageModel
{
    /// <summary>The token embedding matrix: a token's vector, its nearest tokens, a PCA map, the rows as numbers.</summary>
    public EmbeddingTable Embeddings => new(this);

    /// <summary>
    /// Reads a prompt once and keeps what happens inside: each token's embedding, the residual stream after every
    /// layer, the attention probabilities of the layers and heads chosen. The ordinary forward pass is not changed
    /// by it; a trace bigger than <see cref="TraceOptions.MaxBytes"/> is refused before it runs.
    /// <code>using var trace = model.Trace("Monday, Tuesday, Wednesday,");
    /// trace.Lens()          // what each layer would predict
    /// trace.Attention(0)    // where each head of layer 0 looks</code>
    /// </summary>
    public ForwardTrace Trace(string prompt, TraceOptions? options = null)
    {
        options ??= TraceOptions.Default;
        if (string.IsNullOrEmpty(prompt)) throw new WalkthroughException("The prompt is empty: give the model some text to trace, e.g. \"Monday, Tuesday, Wednesday,\".");
        var ids = PromptIds(prompt, truncateFromLeft: false, reserve: 0);
        var tokens = Tokenizer.Tokenize(prompt).Tokens;
        var layers = options.LayersFor(Config, Name);
        var heads = options.HeadsFor(Config, Name);
        var bytes = options.Bytes(Config, ids.Count, (int)Module.TokenEmbeddings.ElementSize, Name);
        if (bytes > options.MaxBytes)
            throw new WalkthroughException(
                $"A trace of {ids.Count} tokens with attention of {layers.Count} layers × {heads.Count} heads would hold {Units.Bytes(bytes)}, " +
                $"more than MaxBytes ({Units.Bytes(options.MaxBytes)}): choose fewer with new TraceOptions {{ AttentionLayers = [0], AttentionHeads = [0, 1] }}, " +
                "a shorter prompt, or raise MaxBytes.");
        using var recorder = new ForwardRecorder(Config.Layers, layers.ToHashSet(), heads);
        float[] next;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var input = tensor(ids.Select(i => (long)i).ToArray(), int64, Device).unsqueeze(0);
            next = RequireFinite(Sampling.ToArray(Module.forward(input, null, recorder)[0, -1]));
        }
        var (residuals, attention) = recorder.Take();
        return new ForwardTrace(this, prompt, tokens, residuals, attention, layers.Count == 0 ? [] : heads, next);
    }
}
