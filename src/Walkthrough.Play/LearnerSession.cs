using System.Threading.RateLimiting;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Tokens;

namespace Walkthrough.Play;

/// <summary>
/// One learner's page: its prompt, the next-token session that continues it (with its own KV cache), and the steps
/// taken since. Nothing here is shared with another page; the id that names it is 128 random bits.
/// Callers hold <see cref="Busy"/> while they use it, and run the methods that touch the model inside the gate.
/// </summary>
internal sealed class LearnerSession
{
    private readonly LanguageModel _model;
    private readonly PlaygroundOptions _options;
    private readonly List<StepView> _steps = [];
    private long _lastUsed = Environment.TickCount64;

    public LearnerSession(string id, LanguageModel model, PlaygroundOptions options)
    {
        Id = id;
        _model = model;
        _options = options;
        Requests = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2 * options.RequestsPerSecond,
            TokensPerPeriod = options.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public string Id { get; }

    /// <summary>Held by the one request that uses the session; a generation holds it until it ends.</summary>
    public SemaphoreSlim Busy { get; } = new(1, 1);

    public RateLimiter Requests { get; }

    /// <summary>Set while a generation streams, so other requests are told why they must wait.</summary>
    public bool Generating { get; set; }

    /// <summary>Set (with <see cref="Busy"/> held) once the session is freed: requests that waited for it are told so.</summary>
    public bool Closed { get; private set; }

    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsed));

    public string Instruction { get; private set; } = "";

    public PromptTemplate Template { get; private set; } = PromptTemplate.None;

    /// <summary>The prompt as the model reads it (the template applied), token by token; null until one is read.</summary>
    public TokenTable? Prompt { get; private set; }

    public NextTokenSession? Text { get; private set; }

    public IReadOnlyList<StepView> Steps => _steps;

    public void Touch() => Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);

    /// <summary>Reads a new prompt (prefill): the continuation so far is dropped with the old KV cache.</summary>
    public void Read(string instruction, PromptTemplate template, TokenTable prompt)
    {
        var text = _model.Start(prompt.Text, SamplingOptions.Greedy, candidates: 1);
        Text?.Dispose();
        (Instruction, Template, Prompt, Text) = (instruction, template, prompt, text);
        _steps.Clear();
    }

    public StepView Step(SamplingOptions rule) => Record(Reading().Next(rule));

    public StepView Force(int id) => Record(Reading().Force(id));

    public StepView Undo()
    {
        var text = Reading();
        if (_steps.Count == 0) throw PlayError.BadInput("Nothing to undo: the text is back at the prompt.");
        text.Undo();
        var undone = _steps[^1];
        _steps.RemoveAt(_steps.Count - 1);
        return undone;
    }

    /// <summary>The session's text, checked to have room for one more token.</summary>
    private NextTokenSession Reading()
    {
        var text = Text ?? throw PlayError.BadInput("Type a prompt first: the model has nothing to continue yet.");
        var limit = _options.TokensFor(_model);
        if (text.Ids.Count >= limit)
            throw PlayError.BadInput(
                $"The text has reached {limit:N0} tokens, this playground's limit for one page ({_model.Name} reads at most {_model.ContextLength:N0}): " +
                "undo, or shorten the prompt.");
        if (_steps.Count >= _options.MaxNewTokens)
            throw PlayError.BadInput($"This page has added {_options.MaxNewTokens} tokens after the prompt, the playground's limit: undo some, or edit the prompt to start again.");
        return text;
    }

    private StepView Record(NextTokenStep step)
    {
        var view = StepView.Of(step, _model.Tokenizer);
        _steps.Add(view);
        return view;
    }

    /// <summary>Frees the KV cache; a request still waiting for <see cref="Busy"/> then finds the session closed.</summary>
    public void Close()
    {
        Closed = true;
        Text?.Dispose();
        Text = null;
        _steps.Clear();
        Requests.Dispose();
    }
}
