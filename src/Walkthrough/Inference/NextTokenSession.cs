using System.Buffers;
using System.Diagnostics;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;

namespace Walkthrough.Inference;

/// <summary>
/// Next-token prediction one step at a time. The prompt is read once; each <see cref="Next()"/> turns the model's
/// logits into probabilities, picks a token by the sampling rule, appends it and remembers the step.
/// <see cref="Force(int)"/> appends a token of your choice instead, to see where the text goes from there, and
/// <see cref="Undo"/> takes a step back.
/// When the model chooses its end-of-text token (&lt;/s&gt;) the step says so and <see cref="Ended"/> is true: a
/// model trained on documents joined by &lt;/s&gt;&lt;s&gt; would otherwise start an unrelated text next.
/// </summary>
public sealed class NextTokenSession : IDisposable
{
    private readonly LanguageModel _model;
    private readonly SamplingOptions _sampling;
    private readonly int _candidates;
    private readonly KvCache? _cache;
    private readonly List<int> _ids;
    private readonly List<NextTokenStep> _steps = [];
    private readonly List<ulong> _randomBefore = []; // the draw's state before each step, for Undo
    private SplitMix64 _random;
    private readonly HashSet<int> _ends;
    private float[]? _logits; // for the next position; null until computed
    private TimeSpan _logitsTime; // the forward pass that computed _logits
    private int _logitsTokens;    // and the tokens it computed

    internal NextTokenSession(LanguageModel model, IReadOnlyList<int> promptIds, SamplingOptions sampling, bool useCache, int candidates)
    {
        _model = model;
        _sampling = sampling;
        _candidates = Math.Max(1, candidates);
        _ids = [.. promptIds];
        PromptLength = _ids.Count;
        _random = new SplitMix64(sampling.Seed);
        _cache = useCache ? new KvCache(model.Config.Layers, model.ContextLength) : null;
        _ends = [.. model.Config.EosTokenIds];
        if (model.Tokenizer.EosId is { } eos) _ends.Add(eos);
        if (_cache is not null) (_logits, _logitsTime, _logitsTokens) = Timed(() => model.NextLogits(_ids, _cache), _ids.Count); // prefill: the whole prompt, once
    }

    public LanguageModel Model => _model;

    public int PromptLength { get; }

    /// <summary>Prompt and generated ids so far.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>The ids added after the prompt.</summary>
    public IReadOnlyList<int> NewIds => _ids.Skip(PromptLength).ToList();

    /// <summary>The text added after the prompt (special tokens such as &lt;/s&gt; are not text).</summary>
    public string NewText => GeneratedText.Decode(_model.Tokenizer, NewIds);

    public IReadOnlyList<NextTokenStep> Steps => _steps;

    public bool UsesCache => _cache is not null;

    /// <summary>Whether the last step chose the end-of-text token: the model considers the text finished.</summary>
    public bool Ended => _steps.Count > 0 && _steps[^1].EndsText;

    /// <summary>Candidates × steps: how the probabilities moved over the whole generation.</summary>
    public Display.Figure Heatmap(int candidatesPerStep = 5) => Display.StepCharts.Heatmap(_steps, candidatesPerStep);

    /// <summary>The chosen token's probability and the entropy, step by step.</summary>
    public Display.Figure Confidence() => Display.StepCharts.Confidence(_steps);

    /// <summary>Tokens whose keys and values the KV cache holds (0 without the cache).</summary>
    public long CachedTokens => _cache?.Length ?? 0;

    /// <summary>Bytes the KV cache holds now.</summary>
    public long CacheBytes => _cache?.Bytes ?? 0;

    /// <summary>Predicts, chooses by the sampling rule, appends.</summary>
    public NextTokenStep Next() => Advance(forced: null, _sampling, _random);

    /// <summary>
    /// Predicts and chooses by another rule for this one step, as the playground's sliders ask. A sampled step draws
    /// with the rule's own seed afresh, so the same seed on the same text chooses what Start(text, rule).Next() would.
    /// </summary>
    public NextTokenStep Next(SamplingOptions rule) => Advance(forced: null, rule.Validated(), new SplitMix64(rule.Seed));

    /// <summary>The model's raw scores for the token that comes next: what the next step will choose from (a copy).</summary>
    public float[] LogitsForNext()
    {
        if (_logits is null) (_logits, _logitsTime, _logitsTokens) = Timed(() => _model.NextLogits(_ids, cache: null), _ids.Count); // without the cache: read once per text
        return [.. _logits];
    }

    /// <summary>
    /// Takes the last step back: its token leaves the text, the KV cache is cut to the shorter text (not recomputed),
    /// and the next step sees the same logits and the same draw as the undone one did. Returns the undone step.
    /// </summary>
    public NextTokenStep Undo()
    {
        if (_steps.Count == 0) throw new WalkthroughException("Nothing to undo: the text is back at the prompt.");
        var step = _steps[^1];
        _steps.RemoveAt(_steps.Count - 1);
        _ids.RemoveAt(_ids.Count - 1);
        _random = new SplitMix64(_randomBefore[^1]);
        _randomBefore.RemoveAt(_randomBefore.Count - 1);
        _cache?.Truncate(_ids.Count);
        (_logits, _logitsTime, _logitsTokens) = (_cache is null ? null : step.Logits, TimeSpan.Zero, 0); // kept: the next step runs no pass
        return step;
    }

    /// <summary>Appends the token you choose; the step still shows what the model would have preferred.</summary>
    public NextTokenStep Force(int id)
    {
        if (id < 0 || id >= _model.Tokenizer.VocabularySize)
            throw new WalkthroughException($"Token id {id} is outside the vocabulary (0..{_model.Tokenizer.VocabularySize - 1}).");
        return Advance(id, _sampling, _random);
    }

    /// <summary>Appends the token that stands for exactly this text, e.g. " Friday" (Mistral's "▁Friday").</summary>
    public NextTokenStep Force(string token)
    {
        if (_model.Tokenizer.IdOfText(token) is { } id) return Advance(id, _sampling, _random);
        var pieces = _model.Tokenizer.Tokenize(token, addSpecialTokens: false).Select(t => t.Text);
        throw new WalkthroughException(
            $"No single token is \"{token}\" (it tokenizes as {string.Join(" ", pieces)}): force one token at a time, " +
            "and mind the space — most words start with one (\" Friday\").");
    }

    private NextTokenStep Advance(int? forced, SamplingOptions sampling, SplitMix64 random)
    {
        if (_ids.Count >= _model.ContextLength)
            throw new WalkthroughException($"The text has reached {_model.Name}'s context of {_model.ContextLength} tokens: start a new session with a shorter prompt.");
        if (_logits is null) (_logits, _logitsTime, _logitsTokens) = Timed(() => _model.NextLogits(_ids, cache: null), _ids.Count);
        var logits = _logits;
        var penalized = sampling.RepetitionPenalty == 1 ? logits : Sampling.PenalizeRepetition(logits, _ids, sampling.RepetitionPenalty);
        var randomBefore = _random.State;
        // A greedy or forced step without cuts needs only its candidates, the chosen token's row and the entropy: its
        // probabilities go to a reused buffer, and the step works its own array out if it is ever read (256 KB a step
        // that the bench's decode never reads; bundled model: ~0.3 → ~0.1 ms of bookkeeping a step). A draw or a cut
        // reads the whole array, which the step then keeps.
        var whole = sampling.HasCuts || (forced is null && !sampling.IsGreedy);
        var buffer = whole ? new double[logits.Length] : ArrayPool<double>.Shared.Rent(logits.Length);
        try
        {
            var probabilities = buffer.AsSpan(0, logits.Length);
            var entropy = Sampling.SoftmaxAndEntropy(penalized, sampling.SoftmaxTemperature, probabilities);
            var (kept, cutBy) = sampling.HasCuts ? Sampling.Cut(buffer, sampling) : (buffer, null);
            var chosen = forced ?? (sampling.IsGreedy ? Sampling.ArgMax(probabilities) : Sampling.Draw(Sampling.Renormalize(kept), random.NextDouble()));
            var candidates = Rank(logits, probabilities, cutBy, _candidates);
            var step = new NextTokenStep
            {
                Step = _steps.Count,
                Position = _ids.Count,
                Candidates = candidates,
                Chosen = candidates.Find(c => c.Id == chosen) ?? CandidateFor(chosen, logits, probabilities) with { CutBy = cutBy?[chosen] },
                Rule = forced is null ? sampling.Describe() : "forced by you",
                Sampling = sampling,
                Forced = forced is not null,
                EndsText = _ends.Contains(chosen),
                Elapsed = _logitsTime,
                Entropy = entropy,
                Logits = logits,
                PenalizedLogits = penalized,
                Probabilities = whole ? buffer : null,
                UsedCache = _cache is not null,
                TokensComputed = _logitsTokens,
            };
            Append(step, chosen, randomBefore);
            return step;
        }
        finally
        {
            if (!whole) ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private void Append(NextTokenStep step, int chosen, ulong randomBefore)
    {
        // The next position's pass runs before the step is kept: when it fails (out of memory), the text is as it was.
        (float[]? Logits, TimeSpan Elapsed, int Tokens) next = (null, TimeSpan.Zero, 0);
        if (_cache is not null)
        {
            try
            {
                next = Timed(() => _model.NextLogits([chosen], _cache), 1);
            }
            catch
            {
                _cache.Truncate(_ids.Count); // the layers it reached already hold the token's keys and values
                _random = new SplitMix64(randomBefore);
                throw;
            }
        }
        _steps.Add(step);
        _randomBefore.Add(randomBefore);
        _ids.Add(chosen);
        (_logits, _logitsTime, _logitsTokens) = next;
    }

    private static (float[] Logits, TimeSpan Elapsed, int Tokens) Timed(Func<float[]> forward, int tokens)
    {
        var clock = Stopwatch.StartNew();
        var logits = forward();
        return (logits, clock.Elapsed, tokens);
    }

    private List<Candidate> Rank(float[] logits, ReadOnlySpan<double> probabilities, SamplingCut?[]? cutBy, int count)
    {
        var candidates = new List<Candidate>(count);
        var cumulative = 0.0;
        foreach (var id in Sampling.Largest(probabilities, count))
        {
            cumulative += probabilities[id];
            candidates.Add(new Candidate(candidates.Count + 1, id, _model.Tokenizer.Describe(id).Text, logits[id], probabilities[id], cumulative) { CutBy = cutBy?[id] });
        }
        return candidates;
    }

    // The chosen token's row when it is not among the candidates, without ranking the whole vocabulary: its rank is
    // 1 + the tokens ranked above it.
    private Candidate CandidateFor(int id, float[] logits, ReadOnlySpan<double> probabilities)
    {
        var (above, sum) = Sampling.Above(probabilities, id);
        return new Candidate(above + 1, id, _model.Tokenizer.Describe(id).Text, logits[id], probabilities[id], probabilities[id] + sum);
    }

    public void Dispose() => _cache?.Dispose();
}
