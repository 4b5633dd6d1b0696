using System.Text;
using Walkthrough.Architectures;
using Walkthrough.Display;
using Walkthrough.Inference;
using Walkthrough.Inside;
using Walkthrough.Tokens;
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
        if (string.IsNullOrEmpty(prompt)) throw new WalkthroughException("The prompt is empty: give the model some text to trace, e.g. \"Monday, Tuesday, Wednesday,\".");
        return Trace(prompt, PromptIds(prompt, truncateFromLeft: false, reserve: 0), Tokenizer.Tokenize(prompt).Tokens, options ?? TraceOptions.Default);
    }

    /// <summary>
    /// Traces these token ids as they are — a session's text, say, whose forced or sampled tokens reading the text
    /// again would not always give back. A token's Start and End are its characters in the ids' decoded text.
    /// </summary>
    public ForwardTrace Trace(IReadOnlyList<int> ids, TraceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) throw new WalkthroughException("There are no token ids to trace: give the model at least one token.");
        if (ids.Count > ContextLength) throw new WalkthroughException($"{ids.Count} tokens are more than {Name} reads at once ({ContextLength}): trace fewer.");
        var text = new StringBuilder();
        var utf8 = Encoding.UTF8.GetDecoder();
        var tokens = ids.Select((id, i) =>
        {
            var (display, kind) = Tokenizer.Describe(id);
            var bytes = Tokenizer.BytesOf(id);
            var chars = new char[utf8.GetCharCount(bytes, flush: false)];
            utf8.GetChars(bytes, chars, flush: false);
            var start = text.Length;
            text.Append(chars);
            return new Token(i, id, display, start, text.Length, kind);
        }).ToList();
        return Trace(text.ToString(), ids, tokens, options ?? TraceOptions.Default);
    }

    private ForwardTrace Trace(string prompt, IReadOnlyList<int> ids, IReadOnlyList<Token> tokens, TraceOptions options)
    {
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
