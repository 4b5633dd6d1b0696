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
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _prompt;
    private StopReason? _stopped;

    public GenerationRun(LanguageModel model, string prompt, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (string.IsNullOrWhiteSpace(prompt))
            throw new WalkthroughException("The instruction is empty: ask the model something, e.g. \"List the days of the week.\"");
        if (options.MaxNewTokens > model.ContextLength)
            throw new WalkthroughException(
                $"max new tokens {options.MaxNewTokens:N0} is more than {model.Name} can ever write: its context holds {model.ContextLength:N0} tokens, prompt and answer together. " +
                "Ask for fewer; generation also stops when the context is full.");
        _model = model;
        _options = options;
        _prompt = options.Template.Apply(prompt);
        _session = new NextTokenSession(model, model.PromptIds(_prompt, options.TruncateFromLeft, reserve: 1),
            options.Sampling, options.UseCache, candidates: 1);
        _text = new GeneratedText(model.Tokenizer, [.. options.StopStrings, .. options.Template.StopStrings]);
    }

    /// <summary>Generates one token; returns the text it made certain (possibly empty), or null once generation is over.</summary>
    public string? Step()
    {
        if (_stopped is not null) return null;
        if (_session.NewIds.Count >= _options.MaxNewTokens) return End(StopReason.MaxNewTokens);
        if (_session.Ids.Count >= _model.ContextLength) return End(StopReason.ContextFull);

        var step = _session.Next();
        if (_options.StopAtEos && step.EndsText) return End(StopReason.EndOfSequence);
        var piece = _text.Add(step.Chosen.Id);
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
