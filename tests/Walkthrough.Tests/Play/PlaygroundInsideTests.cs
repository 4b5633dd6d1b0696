using System.Net;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Play;
using Walkthrough.Tests.Cli;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Play;

/// <summary>The inside view's endpoint (GET /api/sessions/{id}/inside): attention and the logit lens of a page's text.</summary>
public sealed class PlaygroundInsideTests
{
    private const string Prompt = "Monday, Tuesday, Wednesday,";

    private static async Task<(Playground Playground, PlayClient Client)> StartAsync(LanguageModel model, PlaygroundOptions? options = null)
    {
        var playground = await Playground.StartAsync(model, options ?? new PlaygroundOptions { Port = 0 });
        return (playground, new PlayClient(playground));
    }

    private static async Task<JsonElement> InsideAsync(PlayClient client, string session, int layer, int head)
    {
        var (status, json) = await client.SendAsync(HttpMethod.Get, $"/api/sessions/{session}/inside?layer={layer}&head={head}");
        Assert.True(status == HttpStatusCode.OK, $"inside: {(int)status} {json}");
        return json;
    }

    private static async Task<(HttpStatusCode Status, string Error)> RefusedAsync(PlayClient client, string path)
    {
        var (status, json) = await client.SendAsync(HttpMethod.Get, path);
        Assert.False(status == HttpStatusCode.OK, $"{path} was not refused: {json}");
        return (status, json.GetProperty("error").GetString()!);
    }

    [Fact]
    public async Task The_attention_and_the_lens_of_a_pages_text_are_what_the_cli_gives_for_that_text()
    {
        using var model = LanguageModel.Default();
        var (playground, client) = await StartAsync(model);
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        await client.CallAsync(session, "prompt", new { text = Prompt });
        await InsideAsync(client, session, layer: 2, head: 3);
        await client.CallAsync(session, "step", new { });
        await InsideAsync(client, session, layer: 2, head: 3);
        var state = await client.CallAsync(session, "step", new { });
        var text = Prompt + state.GetProperty("continuation").GetString();
        var ids = model.Tokenizer.Encode(text);

        var inside = await InsideAsync(client, session, layer: 2, head: 3); // the lens's last two columns added to the cache's

        var tokens = inside.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(ids, tokens.Select(t => t.GetProperty("id").GetInt32())); // the CLI reads the same ids from the text
        Assert.Equal((6, 6, 128), (inside.GetProperty("layers").GetInt32(), inside.GetProperty("heads").GetInt32(), inside.GetProperty("limit").GetInt32()));

        // Attention: `walkthrough attention TEXT --layer 2 --json` (4 significant digits), row = query, column = key.
        var cli = Cli("attention", text, "--layer", "2", "--json");
        var head3 = cli.GetProperty("heads")[3];
        var weights = inside.GetProperty("attention").GetProperty("weights");
        Assert.Equal(3, inside.GetProperty("attention").GetProperty("head").GetInt32());
        for (var q = 0; q < ids.Count; q++)
            for (var k = 0; k < ids.Count; k++)
            {
                var expected = head3[q][k].GetDouble();
                var shown = weights[q][k];
                if (k > q) Assert.Equal(JsonValueKind.Null, shown.ValueKind); // masked: a later token
                else Assert.InRange(shown.GetDouble(), expected * (1 - 5e-4) - 1e-9, expected * (1 + 5e-4) + 1e-9);
            }

        // Where the last token looks: for each head of the layer, the key its last row takes most from.
        var focus = inside.GetProperty("lastToken").EnumerateArray().ToList();
        Assert.Equal(6, focus.Count);
        foreach (var (f, h) in focus.Select((f, h) => (f, h)))
        {
            var row = cli.GetProperty("heads")[h][ids.Count - 1].EnumerateArray().Select(p => p.GetDouble()).ToList();
            Assert.Equal(row.IndexOf(row.Max()), f.GetProperty("position").GetInt32());
            Assert.Equal(row.Max(), f.GetProperty("weight").GetDouble(), 3);
        }

        // The lens: `walkthrough lens TEXT --top 3 --json`, every layer, position and guess.
        var lens = Cli("lens", text, "--top", "3", "--json").GetProperty("layers").EnumerateArray().ToList();
        var shownLens = inside.GetProperty("lens").EnumerateArray().ToList();
        Assert.Equal(lens.Count, shownLens.Count);
        for (var l = 0; l < lens.Count; l++)
            for (var p = 0; p < ids.Count; p++)
            {
                var expected = lens[l].GetProperty("positions")[p].GetProperty("top").EnumerateArray().ToList();
                var shown = shownLens[l].GetProperty("positions")[p].EnumerateArray().ToList();
                Assert.Equal(expected.Select(g => g.GetProperty("id").GetInt32()), shown.Select(g => g.GetProperty("id").GetInt32()));
                foreach (var (e, s) in expected.Zip(shown))
                {
                    var probability = e.GetProperty("probability").GetDouble();
                    Assert.InRange(s.GetProperty("probability").GetDouble(), probability * (1 - 5e-4), probability * (1 + 5e-4));
                    Assert.Equal(model.Tokenizer.Describe(e.GetProperty("id").GetInt32()).Text, s.GetProperty("token").GetString()); // as the chips spell it
                }
            }
        // The last row's last cell is the model's own next token: the page's first candidate.
        Assert.Equal(state.GetProperty("next").GetProperty("top")[0].GetProperty("id").GetInt32(),
            shownLens[^1].GetProperty("positions")[ids.Count - 1][0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Another_head_or_layer_comes_from_the_cache_and_a_new_text_is_traced_again()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var (playground, client) = await StartAsync(model);
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        await client.CallAsync(session, "prompt", new { text = Prompt });

        var first = await InsideAsync(client, session, 0, 0);
        var otherHead = await InsideAsync(client, session, 0, 3);
        var otherLayer = await InsideAsync(client, session, 1, 1);
        await client.CallAsync(session, "force", new { id = 8085 });
        var stepped = await InsideAsync(client, session, 1, 1);
        await client.CallAsync(session, "undo");
        var undone = await InsideAsync(client, session, 1, 1);

        // An undo reads the first rows and columns of what the step traced: no pass.
        Assert.Equal([true, false, false, true, false], new[] { first, otherHead, otherLayer, stepped, undone }.Select(v => v.GetProperty("traced").GetBoolean()));
        Assert.Equal(7, first.GetProperty("tokens").GetArrayLength());
        Assert.Equal(8085, stepped.GetProperty("tokens")[7].GetProperty("id").GetInt32());
        Assert.Equal(7, undone.GetProperty("tokens").GetArrayLength());
        Assert.Equal(Numbers(otherLayer.GetProperty("attention").GetProperty("weights")), Numbers(undone.GetProperty("attention").GetProperty("weights")), new Close(1e-6));
        Assert.Equal(Numbers(otherLayer.GetProperty("lens")), Numbers(undone.GetProperty("lens")), new Close(1e-6));

        // Each map as model.Trace gives it: Mistral's sliding window (8) and the causal triangle masked, rows summing to 1.
        using var trace = model.Trace(model.Tokenizer.Encode(Prompt + " wait, Thursday? Friday"));
        var ids = trace.Tokens.Select(t => t.Id).ToList();
        await client.CallAsync(session, "prompt", new { text = Prompt + " wait, Thursday? Friday" });
        var windowed = await InsideAsync(client, session, 1, 2);
        var weights = windowed.GetProperty("attention").GetProperty("weights");
        var expected = trace.Attention(1, 2).Weights;
        Assert.True(ids.Count > 9, $"{ids.Count} tokens");
        for (var q = 0; q < ids.Count; q++)
        {
            var row = weights[q].EnumerateArray().ToList();
            for (var k = 0; k < ids.Count; k++)
            {
                var seen = k <= q && q - k < 8;
                Assert.Equal(seen ? JsonValueKind.Number : JsonValueKind.Null, row[k].ValueKind);
                if (seen) Assert.Equal(expected[q][k], row[k].GetSingle());
            }
            Assert.Equal(1, row.Where(w => w.ValueKind == JsonValueKind.Number).Sum(w => w.GetDouble()), 5);
        }
        Assert.Equal(1, windowed.GetProperty("attention").GetProperty("keyValueHead").GetInt32()); // 4 query heads over 2 kv heads
    }

    [Fact]
    public async Task A_lens_grown_a_column_at_a_time_is_the_lens_of_the_whole_text()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var (playground, client) = await StartAsync(model);
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        await client.CallAsync(session, "prompt", new { text = "Monday, Tuesday," });
        await InsideAsync(client, session, 0, 0);
        foreach (var id in new[] { 8085, 28725, 9262 })
        {
            await client.CallAsync(session, "force", new { id });
            await InsideAsync(client, session, 1, 2);
        }
        await client.CallAsync(session, "undo");
        await client.CallAsync(session, "force", new { id = 1014 });
        var grown = await InsideAsync(client, session, 1, 2);
        // A new prompt that starts as the text did: only its new positions are read through the output head.
        await client.CallAsync(session, "prompt", new { text = "Monday, Tuesday, Wednesday" });
        var edited = await InsideAsync(client, session, 0, 3);

        foreach (var (view, ids) in new[] { (grown, model.Tokenizer.Encode("Monday, Tuesday,").Concat([8085, 28725, 1014]).ToList()), (edited, model.Tokenizer.Encode("Monday, Tuesday, Wednesday").ToList()) })
        {
            using var whole = model.Trace(ids);
            var lens = whole.Lens(3);
            Assert.Equal(ids, view.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
            var rows = view.GetProperty("lens").EnumerateArray().ToList();
            Assert.Equal(lens.Layers.Count, rows.Count);
            foreach (var (row, layer) in rows.Zip(lens.Layers))
                foreach (var (cell, position) in row.GetProperty("positions").EnumerateArray().Zip(layer.Positions))
                {
                    Assert.Equal(position.Top.Select(g => g.Id), cell.EnumerateArray().Select(g => g.GetProperty("id").GetInt32()));
                    Assert.Equal(position.Top.Select(g => g.Probability), cell.EnumerateArray().Select(g => g.GetProperty("probability").GetDouble()), new Close(1e-6));
                }
        }
    }

    [Fact]
    public async Task When_every_layer_does_not_fit_the_cache_keeps_what_it_may()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 512);
        var (playground, client) = await StartAsync(model, new PlaygroundOptions { Port = 0, MaxInsideTokens = 400 });
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        var words = string.Join(" ", Enumerable.Repeat("word", 350));
        await client.CallAsync(session, "prompt", new { text = words });
        // One layer at 351 tokens: 4 heads × 351² × 5 bytes = 2.3 MiB; both layers would be 4.7 MiB, over the 4 MiB a page keeps.
        Assert.Equal([1], InsideCache.LayersToRecord(model.Config, 351, asked: 1));
        Assert.Equal([0, 1], InsideCache.LayersToRecord(model.Config, 320, asked: 1));

        var traced = new List<bool>();
        foreach (var (layer, head) in new[] { (0, 0), (0, 1), (1, 0), (1, 3), (0, 2) })
            traced.Add((await InsideAsync(client, session, layer, head)).GetProperty("traced").GetBoolean());

        Assert.Equal([true, false, true, false, true], traced);
    }

    [Fact]
    public async Task A_text_beyond_the_inside_views_limit_is_refused_and_the_page_goes_on()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var (playground, client) = await StartAsync(model, new PlaygroundOptions { Port = 0, MaxInsideTokens = 8 });
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        await client.CallAsync(session, "prompt", new { text = Prompt });
        await client.CallAsync(session, "step", new { });
        Assert.Equal(8, (await InsideAsync(client, session, 0, 0)).GetProperty("tokens").GetArrayLength());
        await client.CallAsync(session, "step", new { });

        var (status, error) = await RefusedAsync(client, $"/api/sessions/{session}/inside?layer=0&head=0");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The inside view traces texts of at most 8 tokens, and this one has 9: undo some tokens or shorten the prompt " +
            "(the teacher can raise the limit with --inside-tokens).", error);
        await client.CallAsync(session, "undo");
        Assert.Equal(8, (await InsideAsync(client, session, 1, 0)).GetProperty("tokens").GetArrayLength());
        Assert.Equal(8, new PlaygroundOptions { MaxInsideTokens = 8 }.InsideTokensFor(model));
        Assert.Equal(64, new PlaygroundOptions { MaxInsideTokens = 4096 }.InsideTokensFor(model)); // never past the session's own limit
    }

    [Fact]
    public async Task A_layer_or_head_the_model_lacks_gets_a_message_that_names_it()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var (playground, client) = await StartAsync(model);
        await using var _ = playground;
        using var __ = client;
        var session = await client.OpenAsync();
        var path = $"/api/sessions/{session}/inside";

        Assert.Equal((HttpStatusCode.BadRequest, "Type a prompt first: the model has nothing to read yet."), await RefusedAsync(client, $"{path}?layer=0&head=0"));
        await client.CallAsync(session, "prompt", new { text = Prompt });
        Assert.Equal("There is no layer 2: random-mistral has 2 layers, numbered 0 to 1.", (await RefusedAsync(client, $"{path}?layer=2&head=0")).Error);
        Assert.Equal("There is no head -1: random-mistral has 4 attention heads per layer, numbered 0 to 3.", (await RefusedAsync(client, $"{path}?layer=0&head=-1")).Error);
        Assert.Equal("There is no head 4: random-mistral has 4 attention heads per layer, numbered 0 to 3.", (await RefusedAsync(client, $"{path}?layer=1&head=4")).Error);
        Assert.Equal("layer \"top\" is not a whole number: random-mistral has 2 layers, numbered 0 to 1.", (await RefusedAsync(client, $"{path}?layer=top")).Error);
        Assert.Equal("head \"1.5\" is not a whole number: random-mistral has 4 attention heads per layer, numbered 0 to 3.", (await RefusedAsync(client, $"{path}?head=1.5")).Error);
        Assert.Equal(HttpStatusCode.NotFound, (await RefusedAsync(client, "/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/inside")).Status);

        var fine = await InsideAsync(client, session, 1, 3); // the refusals changed nothing, and traced nothing
        Assert.True(fine.GetProperty("traced").GetBoolean());
        Assert.Equal((1, 3), (fine.GetProperty("attention").GetProperty("layer").GetInt32(), fine.GetProperty("attention").GetProperty("head").GetInt32()));
    }

    [Fact]
    public async Task A_page_sees_the_inside_of_its_own_text_only()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var (playground, client) = await StartAsync(model);
        await using var _ = playground;
        using var __ = client;
        var secret = await client.OpenAsync();
        var other = await client.OpenAsync();
        await client.CallAsync(secret, "prompt", new { text = "The secret word is banana" });
        await client.CallAsync(other, "prompt", new { text = Prompt });

        var mine = await InsideAsync(client, secret, 0, 0);
        var theirs = await InsideAsync(client, other, 0, 0);

        Assert.Contains("▁ban", mine.GetRawText());
        Assert.DoesNotContain("ban", theirs.GetProperty("tokens").GetRawText());
        Assert.DoesNotContain("secret", theirs.GetRawText());
        Assert.Equal(model.Tokenizer.Encode(Prompt), theirs.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.True(theirs.GetProperty("traced").GetBoolean()); // its own trace, not the other page's cache
    }

    [Fact]
    public void A_sessions_memory_counts_the_inside_views_cache()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 64);
        var memory = new PlaygroundOptions { MaxInsideTokens = 32 }.MemoryFor(model);
        // The maps' share (4 MiB; one layer at 32 tokens, 4 × 32² × 5 bytes, is less) and the lens: 3 layers × 32 positions × 3 guesses × 64 bytes.
        Assert.Equal(4L * 1024 * 1024 + 3 * 32 * 3 * 64, memory.InsideBytes);
        Assert.Equal(memory.KvCacheBytes + memory.StepBytes + memory.InsideBytes, memory.TotalBytes);
    }

    private static List<double> Numbers(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Array => [.. json.EnumerateArray().SelectMany(Numbers)],
        JsonValueKind.Object => [.. json.EnumerateObject().SelectMany(p => Numbers(p.Value))],
        JsonValueKind.Number => [json.GetDouble()],
        _ => [],
    };

    private sealed class Close(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }

    private static JsonElement Cli(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
