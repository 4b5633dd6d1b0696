using System.Numerics;
using Walkthrough.Architectures;
using Walkthrough.Inference;
using Walkthrough.Tokens;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// A loaded model with its tokenizer: the thing every later lesson talks to.
/// <code>using var model = LanguageModel.Default();           // data/models/walkthrough-tiny
/// var session = model.Start("Monday, Tuesday, Wednesday,");
/// var step = session.Next();</code>
/// </summary>
public sealed partial class LanguageModel : IDisposable
{
    internal LanguageModel(string name, ModelConfig config, CausalLanguageModel module, Tokenizer tokenizer, Device device, ScalarType dtype, bool int8)
    {
        Name = name;
        Config = config;
        Module = module;
        Tokenizer = tokenizer;
        Device = device;
        Dtype = dtype;
        Int8 = int8;
    }

    public string Name { get; }

    public ModelConfig Config { get; }

    public Tokenizer Tokenizer { get; }

    public Device Device { get; }

    /// <summary>The dtype the model computes in (its weights' dtype, except the 8-bit ones when <see cref="Int8"/>).</summary>
    public ScalarType Dtype { get; }

    /// <summary>The dtype as torch spells it (float32, bfloat16), as the planner writes it.</summary>
    internal string DtypeName => Dtype.ToString().ToLowerInvariant();

    /// <summary>Whether Linear layers hold 8-bit weights (weight-only, per output channel).</summary>
    public bool Int8 { get; }

    /// <summary>Every parameter's element count, summed (the tied output head counted once).</summary>
    public long ParameterCount => Module.named_parameters()
        .Where(p => !(Int8 && p.name.EndsWith("." + Int8Linear.ScaleName, StringComparison.Ordinal)))
        .Sum(p => p.parameter.NumberOfElements);

    /// <summary>Bytes of all parameters as loaded (int8 weights count one byte each).</summary>
    public long ParameterBytes => Module.parameters().Sum(p => p.NumberOfElements * p.ElementSize);

    /// <summary>The most tokens the model can read at once.</summary>
    public int ContextLength => Config.MaxPositions;

    internal CausalLanguageModel Module { get; }

    /// <summary>
    /// Starts next-token prediction on a prompt: the prompt is read once (prefill) and each <see cref="NextTokenSession.Next()"/>
    /// adds one token. Without the KV cache every step re-reads the whole text — the same logits, more work.
    /// </summary>
    public NextTokenSession Start(string prompt, SamplingOptions? sampling = null, bool useCache = true, int candidates = 10, bool truncateFromLeft = false) =>
        new(this, PromptIds(prompt, truncateFromLeft, reserve: 1), (sampling ?? SamplingOptions.Greedy).Validated(), useCache, candidates);

    /// <summary>The last position's logits for a run of new tokens (appended to the cache when there is one).</summary>
    internal float[] NextLogits(IReadOnlyList<int> ids, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode(); // no autograd bookkeeping at all (no_grad keeps some): 2.6 → 2.25 ms a decode step on the bundled model
        var input = tensor(ids.Select(i => (long)i).ToArray(), rows: 1, columns: ids.Count, int64, Device); // (1, T)
        var logits = Module.LastLogits(input, cache);                                   // (1, 1, vocab)
        return RequireFinite(Sampling.ToArray(logits));
    }

    // The last guard before a learner sees probabilities: NaN logits would show as NaN everywhere, with no reason given.
    private float[] RequireFinite(float[] logits)
    {
        if (AllFinite(logits)) return logits;
        var bad = logits.Count(l => !float.IsFinite(l));
        throw new WalkthroughException(
            $"{Name} computed {bad:N0} of its {logits.Length:N0} next-token logits as NaN or ∞ ({DtypeName} on {Device}): the numbers overflowed on the way — " +
            "load it in float32 (--dtype float32) or bfloat16, and check config.json's norm epsilon and rope settings if it persists.");
    }

    // x − x is 0 for a finite x and NaN for NaN or ±∞, so one vectorised sum tells (~2 µs a step; counting took 0.1 ms).
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        var width = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= values.Length - width; i += width)
        {
            var block = new Vector<float>(values.Slice(i, width));
            sum += block - block;
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return Vector.Sum(sum) == 0; // false for NaN
    }

    /// <summary>The prompt's ids, checked against the context length (or cut from the left when asked).</summary>
    internal IReadOnlyList<int> PromptIds(string prompt, bool truncateFromLeft, int reserve)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = Tokenizer.Encode(prompt);
        if (ids.Count == 0)
            throw new WalkthroughException("The prompt is empty and this tokenizer adds no start token: give the model some text to continue.");
        var room = ContextLength - reserve;
        if (ids.Count <= room) return ids;
        if (!truncateFromLeft)
            throw new WalkthroughException(
                $"The prompt is {ids.Count} tokens; {Name} reads at most {ContextLength} (and needs room for {reserve} new). " +
                "Shorten it, or truncate from the left (keep its end) with truncateFromLeft: true / --truncate.");
        return ids.Skip(ids.Count - room).ToList();
    }

    /// <summary>The module tree with shapes, dtypes, devices and parameter counts (what printing a PyTorch model shows).</summary>
    public Display.ModuleTree Tree() => Display.ModuleTree.Of(Name, Config.Architecture, Module);

    public override string ToString() =>
        $"{Name}: {Config.Architecture}, {ParameterCount:N0} parameters, {DtypeName}{(Int8 ? " + int8 weights" : "")} on {Device}";

    public void Dispose() => Module.Dispose();
}
