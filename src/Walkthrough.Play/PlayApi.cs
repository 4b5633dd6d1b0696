using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;

namespace Walkthrough.Play;

/// <summary>
/// The playground's endpoints. Each names its session by the id in the path; a request sees only that session's
/// text. Every step goes through the library (Start, Next, Force, Undo) inside the model gate.
/// </summary>
internal sealed class PlayApi(LanguageModel model, PlaygroundOptions options, SessionStore sessions, ModelGate gate)
{
    // Relaxed escaping: the logits' base64 keeps its '+' and '/' (a tenth smaller); answers are JSON, never HTML.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(15);

    public void Map(WebApplication app)
    {
        app.MapPost("/api/sessions", Create);
        app.MapGet("/api/sessions/{id}/state", (HttpContext http, string id) => WithSession(http, id, exclusive: true,
            (session, _) => Task.FromResult<object?>(State(session))));
        app.MapDelete("/api/sessions/{id}", Close);
        app.MapPost("/api/sessions/{id}/close", Close); // navigator.sendBeacon, when the page goes away, can only POST
        app.MapPost("/api/sessions/{id}/tokens", (HttpContext http, string id) => WithSession(http, id, exclusive: false, (session, _) => Tokens(http)));
        app.MapPost("/api/sessions/{id}/prompt", (HttpContext http, string id) => WithSession(http, id, exclusive: true, (session, cancel) => Prompt(http, session, cancel)));
        app.MapPost("/api/sessions/{id}/step", (HttpContext http, string id) => WithSession(http, id, exclusive: true, async (session, cancel) =>
        {
            var rule = (await Read<RuleRequest>(http)).Rule();
            await gate.RunAsync(() => session.Step(rule), cancel);
            return State(session);
        }));
        app.MapPost("/api/sessions/{id}/force", (HttpContext http, string id) => WithSession(http, id, exclusive: true, async (session, cancel) =>
        {
            var token = (await Read<ForceRequest>(http)).Token();
            await gate.RunAsync(() => session.Force(token), cancel);
            return State(session);
        }));
        app.MapPost("/api/sessions/{id}/undo", (HttpContext http, string id) => WithSession(http, id, exclusive: true, async (session, cancel) =>
        {
            await gate.RunAsync(session.Undo, cancel);
            return State(session);
        }));
        app.MapPost("/api/sessions/{id}/generate", Generate);
    }

    private async Task Create(HttpContext http)
    {
        var session = sessions.Create();
        http.Response.StatusCode = StatusCodes.Status201Created;
        await http.Response.WriteAsJsonAsync(Info(session), Json);
    }

    private async Task Close(HttpContext http, string id) => await sessions.CloseAsync(id);

    private SessionView Info(LearnerSession session) =>
        new(session.Id, ModelView.Of(model), LimitsView.Of(model, options), TemplateView.All(), State(session));

    private StateView State(LearnerSession session) => StateView.Of(session, model, options);

    // Chips as the learner types: the tokenizer only, so it never waits behind the model or the page's generation.
    private async Task<object?> Tokens(HttpContext http)
    {
        var request = await Read<PromptRequest>(http);
        var table = model.Tokenizer.Tokenize(request.ChosenTemplate().Apply(request.Instruction()));
        var limit = options.TokensFor(model);
        return TokensView.Of(table, limit, shown: 2 * limit);
    }

    private async Task<object?> Prompt(HttpContext http, LearnerSession session, CancellationToken cancel)
    {
        var request = await Read<PromptRequest>(http);
        var (instruction, template) = (request.Instruction(), request.ChosenTemplate());
        var table = model.Tokenizer.Tokenize(template.Apply(instruction));
        var limit = options.TokensFor(model);
        if (table.Count > limit - 1)
            throw PlayError.BadInput(
                $"The prompt is {table.Count:N0} tokens: this page reads at most {limit - 1:N0} before the answer " +
                $"(a page holds {limit:N0} tokens; {model.Name}'s context is {model.ContextLength:N0}). Shorten it.");
        await gate.RunAsync(() =>
        {
            session.Read(instruction, template, table);
            return true;
        }, cancel);
        return State(session);
    }

    /// <summary>
    /// Generation as server-sent events over the POST's response: one "token" event per step, then "done" with the
    /// new state (or "error"). Each token takes its turn at the model gate, so other pages keep stepping meanwhile.
    /// </summary>
    private Task Generate(HttpContext http, string id) => WithSession(http, id, exclusive: true, async (session, cancel) =>
    {
        var request = await Read<RuleRequest>(http);
        var rule = request.Rule();
        var text = session.Text ?? throw PlayError.BadInput("Type a prompt first: the model has nothing to continue yet.");
        var count = request.Tokens(State(session).Room);
        var ends = new HashSet<int>(model.Config.EosTokenIds);
        if (model.Tokenizer.EosId is { } eos) ends.Add(eos);
        var stops = session.Template.StopStrings;

        session.Generating = true;
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync(": generating\n\n", cancel); // an SSE comment: the stream has begun
            await http.Response.Body.FlushAsync(cancel);
            var start = text.NewIds.Count;
            var reason = $"{count} tokens, as asked";
            var seed = rule.Seed;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var step = await gate.RunAsync(() => session.Step(rule with { Seed = seed }), cancel);
                    if (!rule.IsGreedy) seed++;
                    var piece = StateView.PiecesOf(model.Tokenizer, text.NewIds.Skip(start)).Last();
                    await Send(http, "token", new { step, piece }, cancel);
                    if (ends.Contains(step.Id)) { reason = "the end-of-sequence token"; break; }
                    var added = GeneratedText(text.NewIds.Skip(start));
                    if (stops.FirstOrDefault(s => added.Contains(s, StringComparison.Ordinal)) is { } stop) { reason = $"the template's stop text \"{stop}\""; break; }
                }
                await Send(http, "done", new { reason, nextSeed = seed, state = State(session) }, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException && !cancel.IsCancellationRequested)
            {
                // The stream has begun, so the refusal travels as an event; the tokens made so far stay.
                var error = e is PlayError or WalkthroughException ? e.Message : $"The playground hit an unexpected error ({e.GetType().Name}: {e.Message}).";
                await Send(http, "error", new { error, state = State(session) }, cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The page pressed stop (or went away): the tokens made so far stay in its text.
        }
        finally
        {
            session.Generating = false;
        }
        return null;
    });

    private string GeneratedText(IEnumerable<int> ids) => Encoding.UTF8.GetString([.. ids.SelectMany(model.Tokenizer.BytesOf)]);

    private static async Task Send(HttpContext http, string name, object data, CancellationToken cancel)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n", cancel);
        await http.Response.Body.FlushAsync(cancel);
    }

    /// <summary>
    /// Finds the session, counts the request against its rate, and (when exclusive) waits its turn on the session.
    /// A non-null result is written as JSON; a handler that wrote its own response returns null.
    /// </summary>
    private async Task WithSession(HttpContext http, string id, bool exclusive, Func<LearnerSession, CancellationToken, Task<object?>> handle)
    {
        var session = sessions.Get(id);
        using var lease = Lease(session);
        if (!lease.IsAcquired)
            throw new PlayError(429, $"Too many requests from this page (more than {options.RequestsPerSecond} a second): slow down a little.");
        session.Touch();
        var cancel = http.RequestAborted;
        if (exclusive)
        {
            if (session.Generating) throw PlayError.Busy("Still generating: stop it first (Esc), then try again.");
            if (!await session.Busy.WaitAsync(PageWait, cancel)) throw PlayError.Busy("This page's last request is still running: try again in a moment.");
        }
        try
        {
            if (session.Closed) throw PlayError.SessionGone();
            var result = await handle(session, cancel);
            if (result is not null) await http.Response.WriteAsJsonAsync(result, result.GetType(), Json, cancel);
        }
        finally
        {
            session.Touch();
            if (exclusive) session.Busy.Release();
        }
    }

    // A session freed between finding it and counting the request has disposed its limiter: it has ended.
    private static RateLimitLease Lease(LearnerSession session)
    {
        try
        {
            return session.Requests.AttemptAcquire();
        }
        catch (ObjectDisposedException)
        {
            throw PlayError.SessionGone();
        }
    }

    private static async Task<T> Read<T>(HttpContext http) where T : class
    {
        if (http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            throw new PlayError(415, "The playground reads JSON: send Content-Type: application/json.");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, http.RequestAborted)
                ?? throw PlayError.BadInput("The request's body is null: send a JSON object.");
        }
        catch (JsonException e)
        {
            throw PlayError.BadInput($"The request is not the JSON the playground expects{(e.Path is { Length: > 1 } path ? $" (at {path})" : "")}: reload the page.");
        }
    }
}
