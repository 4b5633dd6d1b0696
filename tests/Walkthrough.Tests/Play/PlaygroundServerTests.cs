using System.Net;
using System.Text;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Play;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Play;

/// <summary>The playground's server on loopback, with a random-weight Mistral: what one page does, and what many do at once.</summary>
public sealed class PlaygroundServerTests : IAsyncLifetime
{
    private const string Prompt = "Monday, Tuesday, Wednesday,";
    private readonly LanguageModel _model = TinyLanguageModels.RandomMistral(contextLength: 64);
    private Playground _playground = null!;
    private PlayClient _client = null!;

    public async Task InitializeAsync() => await StartAsync(new PlaygroundOptions { Port = 0 });

    private async Task StartAsync(PlaygroundOptions options)
    {
        if (_playground is not null) await DisposeAsync();
        _playground = await Playground.StartAsync(_model, options);
        _client = new PlayClient(_playground);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _playground.DisposeAsync();
    }

    private async Task<(string Session, JsonElement State)> ReadAsync(string prompt = Prompt, string template = "none")
    {
        var session = await _client.OpenAsync();
        return (session, await _client.CallAsync(session, "prompt", new { text = prompt, template }));
    }

    [Fact]
    public async Task A_prompt_gives_the_tokenizers_tokens_and_the_libraries_logits_for_the_next_token()
    {
        var (_, state) = await ReadAsync();

        var tokens = state.GetProperty("prompt").GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(_model.Tokenizer.Encode(Prompt), tokens.Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal(["<s>", "▁Monday", ",", "▁Tuesday", ",", "▁Wednesday", ","], tokens.Select(t => t.GetProperty("token").GetString()));
        Assert.Equal("special", tokens[0].GetProperty("kind").GetString());
        using var library = _model.Start(Prompt);
        Assert.Equal(library.LogitsForNext(), PlayClient.Logits(state));
        var top = state.GetProperty("next").GetProperty("top").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(Sampling.Largest(Sampling.Softmax(library.LogitsForNext()), 40), top);
        Assert.Equal(7, state.GetProperty("cache").GetProperty("tokens").GetInt64());
        Assert.False(state.GetProperty("canUndo").GetBoolean());
    }

    [Fact]
    public async Task Step_force_and_undo_through_the_page_do_what_the_library_does()
    {
        var (session, before) = await ReadAsync();
        using var library = _model.Start(Prompt);

        var sampled = await _client.CallAsync(session, "step", new { temperature = 1.3, topK = 20, seed = 9 });
        var expected = library.Next(new SamplingOptions { Temperature = 1.3, TopK = 20, Seed = 9 });
        var step = sampled.GetProperty("steps")[0];
        Assert.Equal(expected.Chosen.Id, step.GetProperty("id").GetInt32());
        Assert.Equal(expected.Rule, step.GetProperty("rule").GetString());
        Assert.Equal(Sampling.Softmax(expected.Logits)[expected.Chosen.Id], step.GetProperty("probability").GetDouble(), 12);

        var forced = await _client.CallAsync(session, "force", new { id = 8085 });
        library.Force(8085);
        Assert.Equal([expected.Chosen.Id, 8085], PlayClient.StepIds(forced));
        Assert.Equal(library.LogitsForNext(), PlayClient.Logits(forced));
        Assert.Equal(9, forced.GetProperty("cache").GetProperty("tokens").GetInt64());

        await _client.CallAsync(session, "undo");
        var undone = await _client.CallAsync(session, "undo");
        Assert.Empty(PlayClient.StepIds(undone));
        Assert.Equal(PlayClient.Logits(before), PlayClient.Logits(undone));
        Assert.Equal(7, undone.GetProperty("cache").GetProperty("tokens").GetInt64());
    }

    [Fact]
    public async Task A_page_sees_only_its_own_session()
    {
        var (first, firstState) = await ReadAsync("The secret word is banana");
        var (second, secondState) = await ReadAsync(Prompt);
        await _client.CallAsync(first, "force", new { id = 8085 });

        Assert.NotEqual(first, second);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", first); // 128 random bits
        var secondAgain = await _client.SendAsync(HttpMethod.Get, $"/api/sessions/{second}/state");
        Assert.DoesNotContain("banana", secondAgain.Json.GetRawText());
        Assert.Empty(PlayClient.StepIds(secondAgain.Json));
        Assert.Equal(PlayClient.Logits(secondState), PlayClient.Logits(secondAgain.Json));
        Assert.Contains("banana", firstState.GetProperty("prompt").GetProperty("text").GetString());

        var (status, error) = await _client.RefusedAsync("/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/step", new { });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith("This page's session has ended", error);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _client.SendAsync(HttpMethod.Get, "/api/sessions")).Status); // no listing
    }

    [Fact]
    public async Task Bad_input_gets_a_message_that_names_the_value_and_the_server_keeps_serving()
    {
        var (session, _) = await ReadAsync();
        var path = $"/api/sessions/{session}";

        Assert.Equal((HttpStatusCode.BadRequest, "The request is not the JSON the playground expects: reload the page."),
            await _client.RefusedAsync($"{path}/step", "{\"temperature\": 0.7,"));
        Assert.Equal((HttpStatusCode.BadRequest, "The request is not the JSON the playground expects (at $.temperature): reload the page."),
            await _client.RefusedAsync($"{path}/step", "{\"temperature\": \"hot\"}"));
        Assert.StartsWith("top-p 1.5 is outside (0, 1]", (await _client.RefusedAsync($"{path}/step", new { temperature = 1, topP = 1.5 })).Error);
        Assert.StartsWith("temperature -1 is outside 0..100", (await _client.RefusedAsync($"{path}/step", new { temperature = -1 })).Error);
        Assert.StartsWith("min-p 1 is outside [0, 1)", (await _client.RefusedAsync($"{path}/step", new { temperature = 1, minP = 1 })).Error);
        Assert.Equal("Token id 32000 is outside the vocabulary (0..31999).", (await _client.RefusedAsync($"{path}/force", new { id = 32000 })).Error);
        Assert.StartsWith("The request has no \"id\"", (await _client.RefusedAsync($"{path}/force", new { })).Error);
        Assert.StartsWith("Unknown prompt template \"jinja\"", (await _client.RefusedAsync($"{path}/prompt", new { text = "Hi", template = "jinja" })).Error);
        Assert.Equal("Nothing to undo: the text is back at the prompt.", (await _client.RefusedAsync($"{path}/undo")).Error);

        var tooLong = await _client.RefusedAsync($"{path}/prompt", new { text = string.Join(" ", Enumerable.Repeat("word", 100)) });
        Assert.Equal("The prompt is 101 tokens: this page reads at most 63 before the answer " +
            "(a page holds 64 tokens; random-mistral's context is 64). Shorten it.", tooLong.Error);
        var huge = await _client.RefusedAsync($"{path}/prompt", new { text = new string('a', Playground.MaxRequestBytes) });
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "The request is larger than 64 KiB: no prompt that long fits the model's context."), huge);
        using var plain = new StringContent("{}", Encoding.UTF8, "text/plain");
        var wrongType = await _client.Http.PostAsync($"{path}/step", plain);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var fresh = await _client.OpenAsync();
        var (noPrompt, message) = await _client.RefusedAsync($"/api/sessions/{fresh}/step", new { });
        Assert.Equal((HttpStatusCode.BadRequest, "Type a prompt first: the model has nothing to continue yet."), (noPrompt, message));
        var after = await _client.CallAsync(session, "step", new { });
        Assert.Single(PlayClient.StepIds(after)); // the refused requests changed nothing
    }

    [Fact]
    public async Task Generation_streams_one_event_per_token_and_ends_with_the_state()
    {
        var (session, _) = await ReadAsync();
        using var release = new ManualResetEventSlim();
        var holding = HoldTheModel(release);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/generate")
        {
            Content = new StringContent("{\"maxNewTokens\": 6}", Encoding.UTF8, "application/json"),
        };
        using var response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var busy = await _client.RefusedAsync($"/api/sessions/{session}/step", new { });
        release.Set();
        await holding;
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string Name, JsonElement Data)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("event: ", StringComparison.Ordinal)) continue;
            var data = (await reader.ReadLineAsync())!["data: ".Length..];
            events.Add((line["event: ".Length..], JsonDocument.Parse(data).RootElement.Clone()));
        }

        using var library = _model.Start(Prompt);
        var expected = Enumerable.Range(0, 6).Select(_ => library.Next().Chosen.Id).ToList();
        Assert.Equal((HttpStatusCode.Conflict, "Still generating: stop it first (Esc), then try again."), busy);
        Assert.Equal(Enumerable.Repeat("token", expected.Count).Append("done"), events.Select(e => e.Name));
        Assert.Equal(expected, events.SkipLast(1).Select(e => e.Data.GetProperty("step").GetProperty("id").GetInt32()));
        Assert.Equal(expected, PlayClient.StepIds(events[^1].Data.GetProperty("state")));
        Assert.Equal("6 tokens, as asked", events[^1].Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Requests_waiting_for_the_model_are_bounded_in_number_and_time()
    {
        await StartAsync(new PlaygroundOptions { Port = 0, MaxWaiting = 1, MaxWait = TimeSpan.FromMilliseconds(300) });
        var pages = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => _client.OpenAsync()));
        using var release = new ManualResetEventSlim();
        var holding = HoldTheModel(release);

        var waiting = _client.RefusedAsync($"/api/sessions/{pages[0]}/prompt", new { text = Prompt });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_playground.Gate.Waiting == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var turnedAway = await _client.RefusedAsync($"/api/sessions/{pages[1]}/prompt", new { text = Prompt });
        var timedOut = await waiting;
        release.Set();
        await holding;

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "The model is busy: 1 requests are waiting for it. Try again in a few seconds."), turnedAway);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "The model is busy: this request waited 0.3 s for its turn. Try again in a few seconds."), timedOut);
        await _client.CallAsync(pages[1], "prompt", new { text = Prompt });
    }

    // Takes the model's turn and keeps it until released, as a long forward pass of another page would.
    private Task HoldTheModel(ManualResetEventSlim release)
    {
        var held = new TaskCompletionSource();
        var holding = Task.Run(() => _playground.Gate.RunAsync(() =>
        {
            held.SetResult();
            return release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None));
        held.Task.Wait(TimeSpan.FromSeconds(10));
        return holding;
    }

    [Fact]
    public async Task Many_pages_stepping_at_once_each_get_what_they_would_alone()
    {
        var prompts = Enumerable.Range(0, 8).Select(i => $"Page {i} says: count {i}, {i + 1},").ToList();
        var pages = await Task.WhenAll(prompts.Select(p => ReadAsync(p)));

        var results = await Task.WhenAll(pages.Select(async page =>
        {
            JsonElement state = default;
            for (var i = 0; i < 5; i++) state = await _client.CallAsync(page.Session, "step", new { temperature = 1.0, seed = 100 + i });
            return PlayClient.StepIds(state);
        }));

        for (var i = 0; i < prompts.Count; i++)
        {
            using var alone = _model.Start(prompts[i]);
            var expected = Enumerable.Range(0, 5).Select(s => alone.Next(new SamplingOptions { Temperature = 1, Seed = (ulong)(100 + s) }).Chosen.Id);
            Assert.Equal(expected, results[i]);
        }
    }

    [Fact]
    public async Task Sessions_are_capped_and_an_idle_one_is_freed()
    {
        await StartAsync(new PlaygroundOptions { Port = 0, MaxSessions = 2, IdleTimeout = TimeSpan.FromSeconds(3) });
        // Long enough that a slow, loaded machine opens the third page before the first one counts as idle.
        var first = await _client.OpenAsync();
        await _client.OpenAsync();

        var (status, error) = await _client.RefusedAsync("/api/sessions");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("The playground already serves 2 pages, its limit", error);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_playground.Sessions > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, _playground.Sessions);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.RefusedAsync($"/api/sessions/{first}/step", new { })).Status);
        await _client.OpenAsync();
    }

    [Fact]
    public async Task A_page_may_add_only_so_many_tokens_and_make_only_so_many_requests()
    {
        await StartAsync(new PlaygroundOptions { Port = 0, MaxNewTokens = 2, RequestsPerSecond = 3 });
        var (session, _) = await ReadAsync();
        await _client.CallAsync(session, "step", new { });
        var full = await _client.CallAsync(session, "step", new { });
        Assert.Equal(0, full.GetProperty("room").GetInt32());
        Assert.StartsWith("This page has added 2 tokens after the prompt, the playground's limit",
            (await _client.RefusedAsync($"/api/sessions/{session}/step", new { })).Error);

        var flood = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _client.PostAsync($"/api/sessions/{session}/tokens", new { text = "Hi" })));
        Assert.Contains(flood, r => r.Status == HttpStatusCode.TooManyRequests);
        var limited = flood.First(r => r.Status == HttpStatusCode.TooManyRequests).Json.GetProperty("error").GetString();
        Assert.Equal("Too many requests from this page (more than 3 a second): slow down a little.", limited);
        var (other, state) = await ReadAsync("Another page"); // the others are still served
        Assert.True(state.GetProperty("next").GetProperty("vocabulary").GetInt32() == 32000, other);
    }

    [Fact]
    public async Task The_page_ships_whole_and_answers_only_to_loopback_names()
    {
        using var page = await _client.Http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<script src=\"play.js\"", html);
        foreach (var asset in new[] { "index.html", "play.css", "play.js" })
            Assert.DoesNotMatch("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/", PageAssets.Text(asset).Replace("\"http://www.w3.org/2000/svg\"", "")); // nothing from a CDN (SVG's namespace is a name, never fetched)

        using var rebound = new HttpRequestMessage(HttpMethod.Post, "/api/sessions");
        rebound.Headers.Host = "attacker.example";
        using var refused = await _client.Http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
    }

    [Fact]
    public void Options_out_of_range_are_refused_before_anything_listens()
    {
        Assert.StartsWith("--port 70000 is outside 0..65535", Assert.Throws<WalkthroughException>(() => new PlaygroundOptions { Port = 70000 }.Validated()).Message);
        Assert.StartsWith("--port 5060 is one that browsers refuse", Assert.Throws<WalkthroughException>(() => new PlaygroundOptions { Port = 5060 }.Validated()).Message);
        Assert.StartsWith("--host example.org is not an IP address", Assert.Throws<WalkthroughException>(() => new PlaygroundOptions { Host = "example.org" }.Validated()).Message);
        Assert.True(new PlaygroundOptions().IsLoopback);
        Assert.False(new PlaygroundOptions { Host = "0.0.0.0" }.IsLoopback);
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_what_to_do()
    {
        var taken = _playground.Address.Port;
        var error = await Assert.ThrowsAsync<WalkthroughException>(() => Playground.StartAsync(_model, new PlaygroundOptions { Port = taken }));
        Assert.StartsWith($"Cannot listen on 127.0.0.1:{taken}", error.Message);
        Assert.Contains("--port 0 for any free one", error.Message);
    }

    [Fact]
    public void A_sessions_memory_is_bounded_by_its_kv_cache_and_its_steps_scores()
    {
        var memory = new PlaygroundOptions { MaxNewTokens = 10 }.MemoryFor(_model);
        // 2 (keys, values) × 2 layers × 2 kv heads × 8 (head dim) × 4 bytes × 64 tokens; 10 steps × 32,000 × (4 + 8) bytes
        Assert.Equal(2L * 2 * 2 * 8 * 4 * 64, memory.KvCacheBytes);
        Assert.Equal(10L * 32000 * 12, memory.StepBytes);
    }
}
