using System.Globalization;
using System.Text.RegularExpressions;
using Walkthrough.Notebooks;

namespace Walkthrough.Tests.LessonProse;

/// <summary>A lesson's outputs, found by the start of the code cell that made them.</summary>
internal sealed class LessonOutputs(Notebook notebook, string lesson)
{
    /// <summary>Everything the cell printed or showed, as plain text.</summary>
    public string Text(string cellStart) => string.Join("\n", Cell(cellStart).Outputs.Select(output => output switch
    {
        StreamOutput stream => stream.Text,
        DisplayOutput display when display.Data.TryGetValue("text/plain", out var text) => text,
        _ => "",
    }));

    /// <summary>What the cell showed as HTML.</summary>
    public string Html(string cellStart) => string.Join("\n", Cell(cellStart).Outputs.OfType<DisplayOutput>()
        .Select(display => display.Data.TryGetValue("text/html", out var html) ? html : ""));

    public string Markdown => string.Join("\n", notebook.Cells.Where(c => c.Kind == CellKind.Markdown).Select(c => Normal(c.Source)));

    private NotebookCell Cell(string start)
    {
        var cells = notebook.Cells.Where(c => c.Kind == CellKind.Code && c.Source.StartsWith(start, StringComparison.Ordinal)).ToList();
        Assert.True(cells.Count == 1, $"{lesson}: {cells.Count} code cells start with \"{start}\"");
        return cells[0];
    }

    public static string Normal(string text) => Regex.Replace(text, @"\s+", " ");
}

/// <summary>A fact a lesson's prose states about its own output, and how the output bears it out.</summary>
internal sealed record Claim(string Prose, Action<LessonOutputs> Holds);

/// <summary>
/// Every fact the lessons' prose states about an output, checked against that output — on the saved notebooks, and
/// on every headless run. Prose that says something about an output without a claim here is a defect, as is a
/// claim whose prose has changed: both fail <see cref="AssertHold"/>.
/// </summary>
internal static class LessonClaims
{
    public static void AssertHold(string lesson, Notebook notebook)
    {
        var outputs = new LessonOutputs(notebook, lesson);
        foreach (var claim in For(lesson))
        {
            Assert.True(outputs.Markdown.Contains(LessonOutputs.Normal(claim.Prose), StringComparison.Ordinal),
                $"{lesson}: the prose \"{claim.Prose}\" is gone — update its claim in LessonClaims");
            try
            {
                claim.Holds(outputs);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{lesson}: the output contradicts \"{claim.Prose}\": {e.Message}");
            }
        }
    }

    public static IReadOnlyList<Claim> For(string lesson) => Path.GetFileNameWithoutExtension(lesson) switch
    {
        "01-tokens" => Tokens,
        "02-gpu-memory" => GpuMemory,
        "03-load-model" => LoadModel,
        "04-next-token" => NextToken,
        "05-instruct" => Instruct,
        var other => throw new Xunit.Sdk.XunitException($"No claims listed for {other}: add its prose facts to LessonClaims."),
    };

    private const string TableCell = "var table = tokenizer.Tokenize(prompt);";

    private static readonly Claim[] Tokens =
    [
        new("These are the ids the original notebook printed with Hugging Face's tokenizer: 1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704",
            o => Assert.Equal([1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704, 28755, 349, 28804], Ids(o.Text(TableCell)))),
        new("the first token, `<s>`, is not in the text at all",
            o => Assert.Matches(@"\n\s+0\s+1\s+<s>\s+0\.\.0\s+\(special\)", o.Text(TableCell))),
        new("it becomes `▁LL` + `M`", o => Assert.Matches(@"▁LL\s+41\.\.44\s*\n\s+10\s+28755\s+M\s+44\.\.45", o.Text(TableCell))),
        new("The first line counts characters as you would", o => Assert.StartsWith("mistral-7b: 13 tokens for 49 characters\n", o.Text(TableCell))),
        new("each token has the colour it has in the table above", o =>
        {
            var rows = Colours(o.Html(TableCell));
            var chips = Colours(o.Html("table.Chips()"));
            Assert.Equal(13, rows.Count);
            Assert.Equal(rows, chips); // the seed prompt has no shared chips: one chip per token
        }),
        new("Decoding the ids gives the text back",
            o => Assert.Equal("Can you write an email explaining what an LLM is?", o.Text("Console.WriteLine(string.Join(\", \", table.Ids));").Split('\n')[1])),
        new("Neither `🤗` nor the rare Chinese character `𠀀` is in Mistral's vocabulary: each becomes four byte tokens", o =>
        {
            var text = o.Text("tokenizer.Tokenize(\"Tokens 🤗 and 𠀀!\")");
            Assert.Equal(4, Regex.Count(text, @"<0x[0-9A-F]{2}>\s+7\.\.9\s+\(byte\)"));
            Assert.Equal(4, Regex.Count(text, @"<0x[0-9A-F]{2}>\s+14\.\.16\s+\(byte\)"));
        }),
        new("The first line counts 15 characters, as a reader does. C# counts 17",
            o => Assert.StartsWith("mistral-7b: 15 tokens for 15 characters (as a reader counts them; C#'s Length counts 17 UTF-16 units)", o.Text("tokenizer.Tokenize(\"Tokens 🤗 and 𠀀!\")"))),
        new("has about 200,000 tokens, six times as many", o =>
        {
            var size = Number(Regex.Match(o.Text("var gpt4o"), @"o200k_base tokenizer \(([\d,]+) tokens\)").Groups[1].Value);
            Assert.InRange(size, 195_000, 205_000);
            Assert.Equal(6, Math.Round(size / 32_000.0));
        }),
        new("It adds no `<s>`, and it cuts `LLM` differently (` L` + `LM`)", o =>
        {
            var gpt4o = o.Text("var gpt4o").Split('\n').Single(l => l.StartsWith("o200k_base ", StringComparison.Ordinal) && l.Contains("chars/token"));
            Assert.Contains("[ L][LM]", gpt4o);
            Assert.DoesNotContain("<s>", gpt4o);
        }),
        new("On this short English prompt both need the same number of tokens", o => Assert.Contains("Both need 12 tokens.", o.Text("var gpt4o"))),
    ];

    private const string SeedPlanCell = "var v100 = Gpu.Named(\"V100-16GB\");";
    private const string OomCell = "var oom = CudaOutOfMemory.Parse(";

    private static readonly Claim[] GpuMemory =
    [
        new("On a machine without an NVIDIA GPU it says so and shows the machine's RAM instead", o =>
        {
            var report = o.Text("var report = GpuReport.Read();");
            if (report.StartsWith("No NVIDIA GPU", StringComparison.Ordinal)) Assert.Matches(@"\nRAM: \S+ GiB total", report);
            else Assert.Matches(@"GPU 0", report);
        }),
        new("Added up, the count equals the 7,241,732,096 parameters Mistral AI published",
            o => Assert.Equal("7,241,732,096 parameters", o.Text("var mistral = ModelConfig.Read(").Trim())),
        new("= 131,072 bytes.", o => Assert.StartsWith("KV cache per token: 131,072 bytes in 16 bits", o.Text(SeedPlanCell))),
        new("the planner plans for **4,096 tokens** of context", o =>
        {
            Assert.Contains("parameters in float32, 4,096 tokens × 1 on V100-16GB", o.Text(SeedPlanCell));
            Assert.Contains("Note: 4,096 tokens is the planner's default context", o.Text(SeedPlanCell));
        }),
        new("Mistral-7B could read 32,768", o => Assert.Contains("the model can read up to 32,768", o.Text(SeedPlanCell))),
        new("the weights alone in float32 (26.98 GiB) are larger than the whole GPU (16.00 GiB)", o =>
        {
            Assert.Matches(@"weights\s+26\.98 GiB", o.Text(SeedPlanCell));
            Assert.Contains("(16.00 GiB available", o.Text(SeedPlanCell));
        }),
        new("The planner also names the smallest change that makes it fit: float16 (a V100 has no bfloat16 arithmetic)", o =>
        {
            Assert.Contains("Smallest change: load it in float16", o.Text(SeedPlanCell));
            // The same sentences as the walk, the CLI's plan and the README.
            Assert.Contains(Walkthrough.Cli.Commands.WalkCommand.SeedPlans().Float32.Verdict, o.Text(SeedPlanCell));
            Assert.Contains("The V100-16GB (compute capability 7.0) has no bfloat16 arithmetic", o.Text("var table = MemoryPlan.AllDtypes("));
        }),
        new("the note names the tools that load 4-bit ones", o =>
        {
            var table = o.Text("var table = MemoryPlan.AllDtypes(");
            Assert.Contains("(with another tool: see the note)", table);
            Assert.Contains("bitsandbytes", table);
            Assert.Contains("llama.cpp", table);
        }),
        new("the KV cache is no longer small — 21 GiB, it grows with every token of context: in bfloat16 the model misses the A100-80GB by 1.45 GiB, in 8 bits it fits", o =>
        {
            var mpt = o.Text("var mpt = ModelConfig.Read(");
            Assert.Matches(@"bfloat16\s+55\.80 GiB\s+21\.00 GiB\s+\S+ GiB\s+\S+ GiB\s+1\.45 GiB missing", mpt);
            Assert.Matches(@"int8\s+.*fits,", mpt);
        }),
        new("why the GPU has 15.77 GiB and not 16 (the driver keeps 232 MiB, which the seed's `nvidia-smi` listed as *Reserved*)", o =>
        {
            Assert.Contains("The V100-16GB is sold as 16.00 GiB", o.Text(OomCell));
            Assert.Contains("235.5 MiB of it never reaches CUDA", o.Text(OomCell));
            Assert.Contains("nvidia-smi lists 232.0 MiB as Reserved", o.Text(OomCell));
        }),
        new("what \"reserved by PyTorch\" is (memory PyTorch keeps for reuse — free for PyTorch, taken for everyone else)",
            o => Assert.Contains("caching allocator keeps memory that tensors gave back, to reuse it without asking CUDA again: free for PyTorch, taken for everyone else", o.Text(OomCell))),
        new("that the 250 MiB which failed is one tensor, not the model",
            o => Assert.Contains("The one request that failed: room for a single tensor of 262,144,000 bytes", o.Text(OomCell))),
        new("how far the load got (56% of the weights)", o => Assert.Contains("26.98 GiB: 56% of them were in", o.Text(OomCell))),
        new("the same parameters and the same bytes", o =>
        {
            var check = o.Text("var model = LanguageModel.Default();");
            Assert.Matches(@"parameters\s+8,505,792\s+8,505,792\s+same", check);
            Assert.Matches(@"weights \(float32\)\s+(\S+ MiB)\s+\1\s+same", check);
        }),
        new("Mistral-7B needs about 27 GiB of weights in float32", o => Assert.Matches(@"weights\s+26\.98 GiB", o.Text(SeedPlanCell))),
        new("In float16 it fits, with less than 1 GiB to spare; int8 halves the weights again.", o =>
        {
            var table = o.Text("var table = MemoryPlan.AllDtypes(");
            Assert.Matches(@"float16\s+13\.49 GiB.*fits, \d+\.\d MiB to spare", table);
            Assert.Matches(@"int8\s+6\.87 GiB", table); // 6.87 of 13.49: a half, less the 16-bit embeddings and scales
        }),
        new("the GPU was full after 15.21 GiB of weights, with 74.38 MiB free and 250 MiB more asked for", o =>
        {
            var lines = o.Text(OomCell);
            Assert.Contains("15.21 GiB is allocated by PyTorch", lines);
            Assert.Contains("of which 74.38 MiB is free", lines);
            Assert.Contains("Tried to allocate 250.00 MiB", lines);
        }),
    ];

    private const string MistralCountCell = "var mistral = ModelConfig.Read(Path.Combine(KitData.Root, \"configs\", \"mistral-7b\"));";

    private static readonly Claim[] LoadModel =
    [
        new("of attention heads, and of key/value heads (fewer than heads: grouped-query attention)",
            o => Assert.Contains("6 query heads sharing 2 key/value heads", o.Text("var folder = KitData.DefaultModel;"))),
        new("The first ten tensors, and the total:", o =>
        {
            var lines = o.Text("using (var checkpoint = Checkpoint.Open(folder))").Trim().Split('\n');
            Assert.StartsWith("56 tensors, 16.2 MiB in model.safetensors", lines[0]);
            Assert.Equal(11, lines.Length);
        }),
        new("with about 850 times fewer parameters", o =>
        {
            var mistral = Number(Regex.Match(o.Text(MistralCountCell), @"^([\d,]+) parameters").Groups[1].Value);
            var tiny = Number(Regex.Match(o.Text("var model = LanguageModel.Load(folder"), @"walkthrough-tiny: Mistral, ([\d,]+) parameters").Groups[1].Value);
            Assert.InRange(mistral / (double)tiny, 800, 900);
        }),
        new("the progress lines count the bytes as they arrive",
            o => Assert.Matches(@"56/56 tensors, 16\.2 MiB of 16\.2 MiB", o.Text("var model = LanguageModel.Load(folder"))),
        new("The names are the ones Hugging Face's transformers prints for a Mistral model (`MistralDecoderLayer` …)", o =>
        {
            var tree = o.Text("model.Tree()");
            Assert.Contains("0…5 (6 × MistralDecoderLayer)", tree);
            Assert.DoesNotContain("Llama", tree);
            Assert.DoesNotContain("`", tree);
        }),
        new("the embedding matrix (32,000 tokens × hidden size) holds most of such a small model's parameters", o =>
        {
            var lines = o.Text("var byKind = model.Tree()");
            var embeddings = Number(Regex.Match(lines, @"embed_tokens\s+([\d,]+)").Groups[1].Value);
            var total = Number(Regex.Match(lines, @"total\s+([\d,]+)").Groups[1].Value);
            Assert.True(embeddings * 2 > total, $"{embeddings} of {total}");
        }),
        new("In Mistral-7B the layers, not the embeddings, hold almost everything", o =>
        {
            var share = double.Parse(Regex.Match(o.Text(MistralCountCell), @"([\d.]+)% of them in the embeddings").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(share, 0, 5);
        }),
        new("13.49 GiB of weights instead of 26.98", o =>
        {
            Assert.Contains("float32    26.98 GiB of weights — a V100-16GB (16 GiB) cannot hold them", o.Text(MistralCountCell));
            Assert.Contains("bfloat16   13.49 GiB of weights — a V100-16GB (16 GiB) can hold them", o.Text(MistralCountCell));
        }),
        new("The first run downloads as much (the checkpoint is stored in bfloat16)", o =>
        {
            var run = o.Text("var mistralId = ");
            if (run.StartsWith("Skipped", StringComparison.Ordinal)) Assert.Contains("mistralai/Mistral-7B-v0.1, 13.49 GiB,", run);
        }),
        new("Mistral-7B's 7.24 billion parameters take 26.98 GiB in float32 — more than the 16 GiB of a V100-16GB — and 13.49 GiB in 16 bits", o =>
        {
            Assert.StartsWith("7,241,732,096 parameters", o.Text(MistralCountCell));
            Assert.Contains("26.98 GiB of weights — a V100-16GB (16 GiB) cannot", o.Text(MistralCountCell));
            Assert.Contains("13.49 GiB of weights — a V100-16GB (16 GiB) can", o.Text(MistralCountCell));
        }),
    ];

    private const string StepCell = "var session = model.Start(\"Monday, Tuesday, Wednesday,\");";
    private const string KvCell = "var withCache = model.Start(";

    private static readonly Claim[] NextToken =
    [
        new("Its description says the architecture and the number of parameters",
            o => Assert.Equal("walkthrough-tiny: Mistral, 8,505,792 parameters, float32 on cpu", o.Text("var model = LanguageModel.Default();").Trim())),
        new("The chosen row is highlighted — with greedy decoding, always rank 1.", o =>
        {
            var step = o.Text(StepCell);
            var chosen = Regex.Match(step, @"chose (\S+) \(id (\d+)").Groups;
            Assert.Matches($@"\n\s+1\. {Regex.Escape(chosen[1].Value)}\s+id\s+{chosen[2].Value}\s", step);
            Assert.Matches(@"<tr style=""font-weight:bold;background:#fef9c3""><td[^>]*>1</td>", o.Html(StepCell));
        }),
        new("The model gives one logit to every token of its 32,000-token vocabulary", o => Assert.StartsWith("32,000 logits;", o.Text("var logits = step.Logits;"))),
        new("it matches the table", o =>
        {
            var values = Regex.Match(o.Text("var logits = step.Logits;"), @"= ([\d.]+)\s+\(table: ([\d.]+)\)").Groups;
            Assert.Equal(values[2].Value, values[1].Value);
        }),
        new("below 1 the favourite gains, above 1 the others catch up", o =>
        {
            // The chart's text drawing: the favourite's three bars come first, one line per temperature, value last.
            var first = Regex.Matches(o.Text("StepCharts.Temperatures(step,"), @"T = [\d.]+ .*?([\d.]+(?:e-?\d+)?)\s*(?:◀)?$", RegexOptions.Multiline)
                .Take(3).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(3, first.Count);
            Assert.True(first[0] >= first[1] && first[1] > first[2], string.Join(", ", first));
        }),
        new("here top-p 0.9 keeps the five tokens that together reach 0.9, and the draw picks among those five only", o =>
        {
            var rows = o.Text("var options = new SamplingOptions").Split('\n').Where(l => Regex.IsMatch(l, @"^\s+\d+\. ")).ToList();
            Assert.Equal(10, rows.Count);
            Assert.All(rows.Take(5), row => Assert.DoesNotContain("cut by", row));
            Assert.All(rows.Skip(5), row => Assert.EndsWith("cut by top-p", row.TrimEnd()));
            var cumulative = rows.Select(r => double.Parse(Regex.Match(r, @"cum\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.True(cumulative[3] < 0.9 && cumulative[4] >= 0.9, string.Join(", ", cumulative));
            var chosen = Regex.Match(o.Text("var options = new SamplingOptions"), @"chose (\S+) ").Groups[1].Value;
            Assert.Contains(rows.Take(5), row => row.Contains($". {chosen} ", StringComparison.Ordinal));
        }),
        new("until the model chooses its **end-of-text token** `</s>`, its way of saying the answer is complete (the loop also stops after eight steps)",
            o => Assert.Matches(@"^ Tokyo\.\s+\(\d steps; the last chose </s>, ended: True\)", o.Text("var capital = model.Start("))),
        new("after the end token it expects a new document — here, a new instruction that has nothing to do with the question",
            o => Assert.Contains("</s> <s> ▁Below ▁is ▁an ▁instruction", o.Text("var unstopped = model.Start("))),
        new("it picks up the pattern from your token", o => Assert.StartsWith("Monday, Tuesday, Wednesday, Friday, Saturday", o.Text("var forced = model.Start("))),
        new("with the **KV cache** it keeps them, and each step after the first computes one new token", o =>
        {
            var lines = o.Text(KvCell).Split('\n').Where(l => l.StartsWith("step ", StringComparison.Ordinal)).ToList();
            Assert.Equal(5, lines.Count);
            Assert.Matches(@"computed\s+(\d+) vs\s+\1 tokens", lines[0]);
            Assert.All(lines.Skip(1), line => Assert.Matches(@"computed\s+1 vs\s+\d+ tokens", line));
        }),
        new("their largest difference is a rounding in the fifth decimal or below", o =>
        {
            var differences = Regex.Matches(o.Text(KvCell), @"largest logit difference ([\d.]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(5, differences.Count);
            Assert.All(differences, d => Assert.True(d < 1e-4, $"{d}"));
        }),
        new("At every step the model scores all 32,000 tokens", o => Assert.StartsWith("32,000 logits;", o.Text("var logits = step.Logits;"))),
    ];

    private static readonly Claim[] Instruct =
    [
        new("The template below is the one from the MPT blog", o => Assert.Matches(
            @"^Below is an instruction that describes a task\. Write a response that appropriately completes the request\.\n### Instruction\n.+\n### Response\n",
            o.Text("var request = "))),
        new("it stops at the model's end-of-text token `</s>` (the last line says why it stopped)",
            o => Assert.Matches(@"-- \d+ tokens, stopped: EndOfSequence", o.Text("var answer = model.Generate("))),
        new("The bundled model knows a little about capitals, the days of the week, tokens and GPUs", o =>
        {
            var answers = o.Text("foreach (var question in new[]");
            Assert.Contains("Rome", answers);
            Assert.Contains("Monday, Tuesday, Wednesday, Thursday, Friday, Saturday and Sunday", answers);
            Assert.Contains("A token is", answers);
        }),
        new("Stop at the first full stop: the answer ends just before it.", o =>
        {
            var text = o.Text("var short_ = model.Generate(");
            Assert.Contains("(stopped: StopString at \".\")", text);
            Assert.DoesNotContain(".", text[..text.IndexOf("  (stopped", StringComparison.Ordinal)]);
        }),
        new("the seed makes a draw repeatable, and another seed gives another answer", o =>
        {
            var text = o.Text("foreach (var seed in new ulong[] { 1, 2 })");
            var one = text[(text.IndexOf("seed 1:", StringComparison.Ordinal) + 7)..text.IndexOf("seed 2:", StringComparison.Ordinal)].Trim();
            var two = text[(text.IndexOf("seed 2:", StringComparison.Ordinal) + 7)..].Trim();
            Assert.NotEqual(one, two);
        }),
    ];

    private static List<int> Ids(string table) =>
        Regex.Matches(table, @"^\s+\d+\s+(\d+)\s", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    private static List<string> Colours(string html) => Regex.Matches(html, "background:(#[0-9a-f]{6})").Select(m => m.Groups[1].Value).ToList();

    private static long Number(string text) => long.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);
}
