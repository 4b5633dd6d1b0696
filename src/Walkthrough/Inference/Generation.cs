using System.Diagnostics;
using System.Runtime.CompilerServices;
using Walkthrough.Inference;

namespace Walkthrough.Checkpoints;

public sealed partial class LanguageModel
{
    /// <summary>
    /// Writes an answer: the next-token loop run on its own until the end-of-sequence token, a stop string or the
    /// token limit. Returns only the new text, cut before the first stop string — what the seed's
    /// cut_off_text and remove_substring tried to do by hand.
    /// </summary>
    public GenerationResult Generate(string prompt, GenerationOptions? options = null)
    {
        using var run = new GenerationRun(this, prompt, (options ?? new GenerationOptions()).Validated());
        while (run.Step() is not null) { }
        return run.Result();
    }

    /// <summary>The same loop, handing out text as it becomes certain (whole characters, never part of a stop string).</summary>
    public async IAsyncEnumerable<string> GenerateStreamAsync(string prompt, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var run = new GenerationRun(this, prompt, (options ?? new GenerationOptions()).Validated());
        while (run.Step() is { } piece)
        {
            cancellation.ThrowIfCancellationRequested();
            if (piece.Length > 0) yield return piece;
            await Task.Yield(); // let a notebook or terminal draw the piece before the next forward pass
        }
    }
}

/// <summary>One generation in progress: a next-token session, the text it has produced, and why it stopped.</summary>
internal sealed class GenerationRun : IDisposable
{
    private readonly LanguageModel _model;
    private readonly GenerationOptions _options;
    private readonly NextTokenSession _session;
    private readonly GeneratedText _text;
    private readonly HashSet<int> _eos;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _prompt;
    private StopReason? _stopped;

    public GenerationRun(LanguageModel model, string prompt, GenerationOptions options)
    {
        _model = model;
        _options = options;
        _prompt = options.Template.Apply(prompt);
        _session = new NextTokenSession(model, model.PromptIds(_prompt, options.TruncateFromLeft, reserve: 1),
            options.Sampling, options.UseCache, candidates: 1);
        _text = new GeneratedText(model.Tokenizer, [.. options.StopStrings, .. options.Template.StopStrings]);
        _eos = [.. model.Config.EosTokenIds];
        if (model.Tokenizer.EosId is { } eos) _eos.Add(eos);
    }

    /// <summary>Generates one token; returns the text it made certain (possibly empty), or null once generation is over.</summary>
    public string? Step()
    {
        if (_stopped is not null) return null;
        if (_session.NewIds.Count >= _options.MaxNewTokens) return End(StopReason.MaxNewTokens);
        if (_session.Ids.Count >= _model.ContextLength) return End(StopReason.ContextFull);

        var chosen = _session.Next().Chosen.Id;
        if (_options.StopAtEos && _eos.Contains(chosen)) return End(StopReason.EndOfSequence);
        var piece = _text.Add(chosen);
        return _text.StopString is null ? piece : piece + End(StopReason.StopString);
    }

    public GenerationResult Result() => new(_prompt, _text.Text, _session.NewIds, _stopped ?? StopReason.MaxNewTokens,
        _text.StopString, _session.PromptLength, _clock.Elapsed);

    private string End(StopReason reason)
    {
        _stopped = reason;
        return _text.Flush();
    }

    public void Dispose() => _session.Dispose();
}
