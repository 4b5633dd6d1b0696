using System.Diagnostics;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Play;
using Walkthrough.Tokens;
using Walkthrough.Tests.Cli;

namespace Walkthrough.Tests.Play;

/// <summary>
/// The playground in Debian's chromium, driven by playwright-core (tests/browser/playground.mjs), on the bundled model:
/// what the page shows must be what the CLI's `tokens`, `next`, `attention` and `lens` say. With WALKTHROUGH_WRITE_SCREENSHOTS=1 the
/// screenshots are saved to docs/images for the README (then made small with pngquant --quality 70-90).
/// </summary>
public sealed class PlaygroundInABrowserTests
{
    private const string Prompt = "Once upon a time";
    private const int Generated = 40; // long enough (about half a second) that the tokens cannot all arrive in one read

    [BrowserFact]
    public async Task A_learner_types_moves_the_sliders_steps_forces_undoes_generates_and_looks_inside()
    {
        var chromium = Chromium();
        var script = Path.Combine(RepoPaths.Root, "tests", "browser", "playground.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "tests", "browser", "node_modules", "playwright-core")),
            "playwright-core is not installed: run `npm ci --prefix tests/browser` (bash .ci/run does), " +
            $"or set {BrowserFactAttribute.SkipVariable}=1 to skip the browser test.");
        var output = Path.Combine(Path.GetTempPath(), $"walkthrough-browser-{Guid.NewGuid():N}");

        using var model = LanguageModel.Default();
        var overflow = model.Tokenizer.Encode(string.Concat(Enumerable.Repeat("word ", 600))).Count; // what the script types last
        var beyondInside = model.Tokenizer.Encode(string.Concat(Enumerable.Repeat("word ", 130))).Count; // and before it
        await using (var playground = await Playground.StartAsync(model, new PlaygroundOptions { Port = 0 }))
        {
            var (code, log) = await RunAsync("node", [script, "--url", playground.Address.ToString(), "--out", output, "--prompt", Prompt,
                "--chromium", chromium, "--tokens", Generated.ToString()]);
            Assert.True(code == 0, $"the browser script failed ({code}):\n{log}");
        }
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        var page = results.RootElement;

        Assert.Empty(page.GetProperty("offsite").EnumerateArray());
        Assert.Empty(page.GetProperty("consoleErrors").EnumerateArray());

        // The chips: the ids and tokens the CLI's `tokens` gives with the model's tokenizer; the id shows on hover.
        var tokens = Cli("tokens", Prompt, "--tokenizer", KitData.DefaultModel, "--json").GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(tokens.Select(t => t.GetProperty("id").GetInt32()), Ints(page.GetProperty("chipIds")));
        Assert.Equal(tokens.Select(t => t.GetProperty("piece").GetString()),
            page.GetProperty("chips").EnumerateArray().SelectMany(c => c.GetProperty("tokens").GetString()!.Split(' ')));
        Assert.Equal($"{tokens[1].GetProperty("id").GetInt32()} {tokens[1].GetProperty("piece").GetString()}", page.GetProperty("hover").GetString());

        // The bars: the probabilities `next` gives, at temperature 1 (greedy shows the model's own) and as the slider moves.
        SameCandidates(model.Tokenizer, Next("--top", "10"), page.GetProperty("greedy"));
        SameCandidates(model.Tokenizer, Next("--top", "10", "--temperature", "0.7"), page.GetProperty("t07"));
        SameCandidates(model.Tokenizer, Next("--top", "10", "--temperature", "1.5"), page.GetProperty("t15"));
        Assert.NotEqual(page.GetProperty("t07")[0].GetProperty("p").GetDouble(), page.GetProperty("t15")[0].GetProperty("p").GetDouble(), 3);
        Assert.Equal(0, page.GetProperty("sliderRequests").GetInt32()); // a slider is computed in the page: no request

        // Top-k 3: the fourth candidate on are greyed and say why.
        var cut = page.GetProperty("topK3").EnumerateArray().Select(c => c.GetProperty("cut").GetString()).ToList();
        Assert.Equal(["", "", ""], cut.Take(3));
        Assert.All(cut.Skip(3), reason => Assert.Equal("top-k", reason));
        Assert.StartsWith("Sampling from 3 tokens that hold", page.GetProperty("summary").GetString());

        // Step samples with the seed shown, as `next --seed` draws; then a forced token, and undo.
        var sampledStep = Next("--temperature", "0.7", "--top-k", "3", "--seed", "7");
        var sampled = sampledStep.GetProperty("chosen");
        Assert.Equal(sampled.GetProperty("id").GetInt32(), page.GetProperty("sampled").GetProperty("id").GetInt32());
        Assert.Contains(sampledStep.GetProperty("rule").GetString()!, page.GetProperty("sampled").GetProperty("title").GetString());
        Assert.Contains("seed 7", page.GetProperty("log").GetString());
        Assert.Equal(8, page.GetProperty("seedAfter").GetInt32());
        Assert.Equal(page.GetProperty("beforeForce")[1].GetProperty("id").GetInt32(), page.GetProperty("forced").GetInt32());
        Assert.Equal(Rows(page.GetProperty("beforeForce")), Rows(page.GetProperty("afterUndo")));

        // Inside the model, layer 3 and head 2 chosen with the keys: the heatmap's cells are `attention --layer 3`'s head 2
        // (query rows, key columns, later keys masked), the focus chips its last row, and the lens is `lens --top 3`'s.
        var attention = Cli("attention", Prompt, "--layer", "3", "--json").GetProperty("heads");
        var inside = page.GetProperty("inside");
        Assert.StartsWith("Where each token looks: layer 3, head 2", inside.GetProperty("heading").GetString());
        var cells = inside.GetProperty("cells").EnumerateArray().ToList();
        var n = tokens.Count;
        Assert.Equal(n * n, cells.Count);
        foreach (var cell in cells)
        {
            var (q, k) = (cell.GetProperty("q").GetInt32(), cell.GetProperty("k").GetInt32());
            Assert.Equal(k > q, cell.GetProperty("masked").GetBoolean());
            if (k > q) { Assert.Equal("url(#masked)", cell.GetProperty("fill").GetString()); continue; }
            var expected = attention[2][q][k].GetDouble();
            Assert.InRange(cell.GetProperty("w").GetDouble(), expected * (1 - 5e-4) - 1e-9, expected * (1 + 5e-4) + 1e-9);
        }
        var lastRow = inside.GetProperty("lastRow").EnumerateArray().Select(w => w.GetDouble()).ToList();
        Assert.Equal(n, lastRow.Count);
        for (var k = 0; k < n; k++)
        {
            var expected = attention[2][n - 1][k].GetDouble();
            Assert.InRange(lastRow[k], expected * (1 - 5e-4) - 1e-9, expected * (1 + 5e-4) + 1e-9);
        }
        Assert.Equal($"row {n - 1} {tokens[n - 1].GetProperty("piece").GetString()} takes {lastRow[1]:0.000} from column 1 {tokens[1].GetProperty("piece").GetString()}.",
            inside.GetProperty("readout").GetString());
        var strongest = Enumerable.Range(0, 6).Select(h =>
        {
            var row = attention[h][n - 1].EnumerateArray().Select(w => w.GetDouble()).ToList();
            return tokens[row.IndexOf(row.Max())].GetProperty("piece").GetString();
        });
        Assert.Equal(strongest, inside.GetProperty("heads").EnumerateArray().Select(h => h.GetString()));
        var lens = Cli("lens", Prompt, "--top", "3", "--json").GetProperty("layers");
        var lensCells = inside.GetProperty("lens").EnumerateArray().ToList();
        Assert.Equal(7 * n, lensCells.Count);
        foreach (var cell in lensCells)
        {
            var (layer, position) = (cell.GetProperty("layer").GetInt32(), cell.GetProperty("position").GetInt32());
            var best = lens[layer].GetProperty("positions")[position].GetProperty("top")[0];
            Assert.Equal(best.GetProperty("id").GetInt32(), cell.GetProperty("id").GetInt32());
            var p = best.GetProperty("probability").GetDouble();
            Assert.InRange(cell.GetProperty("p").GetDouble(), p * (1 - 5e-4), p * (1 + 5e-4));
            Assert.Equal(position + 1 < n && best.GetProperty("id").GetInt32() == tokens[position + 1].GetProperty("id").GetInt32(), cell.GetProperty("hit").GetBoolean());
        }
        Assert.Equal(["head 4"], page.GetProperty("insideHead4").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal([n + 1, n], Ints(page.GetProperty("insideSteps")));

        // Generate: greedy tokens, as `next --steps` chooses them, streamed in one by one and coloured by probability.
        var steps = Cli("next", Prompt, "--steps", Generated.ToString(), "--json").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("chosen")).ToList();
        var generated = page.GetProperty("generated").EnumerateArray().ToList();
        Assert.Equal(steps.Select(s => s.GetProperty("id").GetInt32()), generated.Select(g => g.GetProperty("id").GetInt32()));
        foreach (var (chip, step) in generated.Zip(steps))
        {
            var p = step.GetProperty("probability").GetDouble(); // 4 significant digits in next --json
            Assert.InRange(chip.GetProperty("p").GetDouble(), p * (1 - 5e-4), p * (1 + 5e-4));
            Assert.Contains($"p{Bucket(chip.GetProperty("p").GetDouble())}", chip.GetProperty("className").GetString()!.Split(' '));
        }
        Assert.True(page.GetProperty("chipCounts").GetArrayLength() > 2, "the tokens arrived at once, not streamed");
        Assert.StartsWith($"Generation stopped at {Generated} tokens, as asked.", page.GetProperty("generatedSummary").GetString());
        Assert.Equal(n + Generated, page.GetProperty("insideAfterGenerate").GetInt32()); // the view redrawn for the whole text

        // Beyond what the inside view traces (128 tokens): its own message, while the prompt itself is read.
        Assert.Equal($"The inside view traces texts of at most 128 tokens, and this one has {beyondInside}: undo some tokens or shorten the prompt " +
            "(the teacher can raise the limit with --inside-tokens).", page.GetProperty("insideTooLong").GetString());
        Assert.StartsWith("Where each token looks: layer 2, head 1", page.GetProperty("insideFinal").GetString());

        // A prompt beyond the context: a message on the page — the page's own as the chips count, or the server's
        // (which adds the context) when the prompt reaches it first on a slow machine.
        Assert.StartsWith($"The prompt is {overflow} tokens: this page reads at most 511 before the answer", page.GetProperty("tooLong").GetString());

        if (Environment.GetEnvironmentVariable("WALKTHROUGH_WRITE_SCREENSHOTS") == "1")
            foreach (var picture in new[] { "sliders", "generated", "inside" })
                File.Copy(Path.Combine(output, $"{picture}.png"), Path.Combine(RepoPaths.Root, "docs", "images", $"playground-{picture}.png"), overwrite: true);
        Directory.Delete(output, recursive: true);
    }

    private static JsonElement Next(params string[] options) => Cli(["next", Prompt, .. options, "--json"]).GetProperty("steps")[0];

    private static JsonElement Cli(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static void SameCandidates(Tokenizer tokenizer, JsonElement step, JsonElement rows)
    {
        var expected = step.GetProperty("candidates").EnumerateArray().ToList();
        var shown = rows.EnumerateArray().ToList();
        Assert.Equal(expected.Select(c => c.GetProperty("id").GetInt32()), shown.Select(r => r.GetProperty("id").GetInt32()));
        foreach (var (cli, row) in expected.Zip(shown))
        {
            // next --json prints probabilities to 4 significant digits and logits to 3 decimals (docs/json.md).
            var p = cli.GetProperty("probability").GetDouble();
            Assert.InRange(row.GetProperty("p").GetDouble(), p * (1 - 5e-4), p * (1 + 5e-4));
            Assert.Equal(cli.GetProperty("logit").GetDouble(), row.GetProperty("logit").GetDouble(), 3);
            Assert.Equal(tokenizer.Describe(cli.GetProperty("id").GetInt32()).Text, row.GetProperty("text").GetString()); // shown as the table shows it: ▁ for a space, \n for a newline
        }
    }

    private static List<(int, double)> Rows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => (r.GetProperty("id").GetInt32(), r.GetProperty("p").GetDouble()))];

    private static IEnumerable<int> Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32());

    // The page's colour buckets for an added token's probability (play.js, bucket).
    private static int Bucket(double p) => p < 0.05 ? 0 : p < 0.2 ? 1 : p < 0.5 ? 2 : p < 0.8 ? 3 : 4;

    private static string Chromium()
    {
        string[] candidates =
        [
            Environment.GetEnvironmentVariable("WALKTHROUGH_CHROMIUM") ?? "",
            "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        ];
        return candidates.FirstOrDefault(File.Exists) ?? throw new Xunit.Sdk.XunitException(
            "Chromium was not found (looked for /usr/bin/chromium and the usual places): install it (Debian/Ubuntu: apt-get install chromium; " +
            $"bash .ci/run does), point WALKTHROUGH_CHROMIUM at a Chromium or Chrome, or set {BrowserFactAttribute.SkipVariable}=1 to skip the browser test.");
    }

    private static async Task<(int Code, string Log)> RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{program} could not start ({e.Message}): install Node.js 20 or later (bash .ci/run expects it), " +
                $"or set {BrowserFactAttribute.SkipVariable}=1 to skip the browser test.");
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 4 minutes");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
