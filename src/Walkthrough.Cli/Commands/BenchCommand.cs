using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Walkthrough.Hardware;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough bench [--model DIR] [--prompt-tokens N] [--new-tokens N] [--json]</c>: load time, prefill and decode
/// speed with and without the KV cache, peak GPU memory against the planner's prediction, and this process's peak
/// memory — the figures the kit's notes quote, measured where you run it. <c>--json</c> prints a <see cref="BenchResult"/>.
/// </summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new(Input.JsonOptions) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(Terminal terminal)
    {
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length for prefill.", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens to decode.", DefaultValueFactory = _ => 64 };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object (snake_case keys, seconds, bytes)." };
        var model = new ModelOptions();
        var command = new Command("bench", "Measure load time, prefill and decode speed with and without the KV cache, and peak memory; `bench tokens` measures a tokenizer.")
        {
            promptTokens, newTokens, json, TokenBenchCommand.Create(terminal),
        };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            if (parse.GetValue(promptTokens) < 1 || parse.GetValue(newTokens) < 1)
                throw new WalkthroughException("--prompt-tokens and --new-tokens must be at least 1.");
            using var gpuMemory = GpuMemoryWatch.Start();
            var clock = Stopwatch.StartNew();
            using var loaded = model.Load(parse, terminal);
            var loadSeconds = clock.Elapsed.TotalSeconds;
            var length = Math.Min(parse.GetValue(promptTokens), loaded.ContextLength / 2);
            var decode = Math.Min(parse.GetValue(newTokens), loaded.ContextLength - length - 1);
            // A prompt of the requested length made of ordinary text.
            var words = string.Join(" ", Enumerable.Repeat("Monday, Tuesday, Wednesday, Thursday, Friday.", length));
            var prompt = loaded.Tokenizer.Decode(loaded.Tokenizer.Encode(words).Take(length), skipSpecialTokens: true);

            var tokenizing = Stopwatch.StartNew();
            var promptIds = loaded.Tokenizer.Encode(prompt).Count;
            var tokenizationSeconds = tokenizing.Elapsed.TotalSeconds;
            Run(loaded, prompt, Math.Min(decode, 32), useCache: true); // warm-up: first calls pay for JIT (tiered: ~30 calls) and allocator growth
            var cached = Median(Enumerable.Range(0, 3).Select(_ => Run(loaded, prompt, decode, useCache: true)).ToList());
            var uncached = Run(loaded, prompt, Math.Min(decode, 16), useCache: false);
            var onGpu = loaded.Device.type == TorchSharp.DeviceType.CUDA;
            var result = new BenchResult
            {
                Model = loaded.Name,
                Parameters = loaded.ParameterCount,
                Device = loaded.Device.ToString(),
                Dtype = DtypeOf(loaded).Name(),
                PromptTokens = promptIds,
                NewTokens = decode,
                LoadSeconds = loadSeconds,
                PrefillSeconds = cached.Prefill,
                PrefillTokensPerSecond = promptIds / cached.Prefill,
                DecodeTokensPerSecond = cached.DecodePerSecond,
                DecodeMsPerToken = cached.DecodePerSecond > 0 ? 1000 / cached.DecodePerSecond : 0,
                UncachedDecodeTokensPerSecond = uncached.StepsPerSecond,
                TokenizationSeconds = tokenizationSeconds,
                FirstTokenSeconds = cached.FirstToken,
                StepsPerSecond = cached.StepsPerSecond,
                StepBookkeepingMs = cached.BookkeepingMs,
                WeightBytes = loaded.ParameterBytes,
                PeakGpuBytes = onGpu ? gpuMemory.PeakBytes : null,
                PlannedBytes = MemoryPlan.For(loaded.Config, DtypeOf(loaded), new Gpu("this machine", 0), context: promptIds + decode, model: loaded.Name).TotalBytes,
                PeakProcessBytes = Process.GetCurrentProcess().PeakWorkingSet64,
                Threads = TorchSharp.torch.get_num_threads(),
                ThreadsReason = onGpu ? null : CpuThreads.Choose().Reason,
            };
            if (parse.GetValue(json))
                terminal.Out.WriteLine(JsonSerializer.Serialize(result, Json));
            else
                Print(terminal, loaded, result);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(Terminal terminal, Checkpoints.LanguageModel loaded, BenchResult result)
    {
        terminal.Out.WriteLine($"model          {loaded}");
        terminal.Out.WriteLine($"load           {result.LoadSeconds,8:0.0} s");
        terminal.Out.WriteLine($"prompt         {result.PromptTokens} tokens");
        terminal.Out.WriteLine($"tokenization   {result.TokenizationSeconds * 1000,8:0.0} ms");
        terminal.Out.WriteLine($"prefill        {result.PrefillTokensPerSecond,8:0} tokens/s   (the prompt's forward pass, {result.PrefillSeconds * 1000:0.0} ms; first token after {result.FirstTokenSeconds * 1000:0} ms)");
        terminal.Out.WriteLine($"decode, cache  {result.DecodeTokensPerSecond,8:0.0} tokens/s   (forward passes, {result.DecodeMsPerToken:0.00} ms each, {result.NewTokens} tokens)");
        terminal.Out.WriteLine($"steps          {result.StepsPerSecond,8:0.0} tokens/s   (Next(): + {result.StepBookkeepingMs:0.00} ms of bookkeeping a step)");
        terminal.Out.WriteLine($"decode, none   {result.UncachedDecodeTokensPerSecond,8:0.0} tokens/s   (every step re-reads the whole text)");
        if (result.PeakGpuBytes is { } peak)
            terminal.Out.WriteLine($"peak GPU       {Display.Units.Bytes(peak)} (NVML, above the start; the planner predicted {Display.Units.Bytes(result.PlannedBytes)})");
        terminal.Out.WriteLine($"peak memory    {result.PeakProcessBytes / 1024.0 / 1024:0} MiB (this process, working set)");
        if (result.ThreadsReason is { } why) terminal.Out.WriteLine($"threads        {result.Threads} ({why})");
    }

    private static Dtype DtypeOf(Checkpoints.LanguageModel model) => model.Dtype switch
    {
        _ when model.Int8 => Dtype.Int8,
        TorchSharp.torch.ScalarType.BFloat16 => Dtype.BFloat16,
        TorchSharp.torch.ScalarType.Float16 => Dtype.Float16,
        _ => Dtype.Float32,
    };

    /// <summary>
    /// One session: the prompt's forward pass (step 0's Elapsed), the decode forward passes (later steps' Elapsed),
    /// and the rest of each Next() — softmax, penalty, entropy, ranking, cut marks — as the step's bookkeeping.
    /// </summary>
    private static Timing Run(Checkpoints.LanguageModel model, string prompt, int steps, bool useCache)
    {
        var clock = Stopwatch.StartNew();
        using var session = model.Start(prompt, SamplingOptions.Greedy, useCache, candidates: 10);
        var calls = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var step = Stopwatch.StartNew();
            session.Next();
            calls.Add(step.Elapsed.TotalSeconds);
            if (i == 0) clock.Stop();
        }
        var forwards = session.Steps.Select(s => s.Elapsed.TotalSeconds).ToList();
        // Next() call i decides step i (bookkeeping) and then runs the forward pass whose time step i + 1 records.
        var bookkeeping = Enumerable.Range(0, steps - 1).Select(i => calls[i] - forwards[i + 1]).ToList();
        var decode = forwards.Skip(1).Sum();
        return new Timing(forwards[0], steps > 1 ? (steps - 1) / decode : 0, clock.Elapsed.TotalSeconds,
            steps > 1 ? (steps - 1) / calls.Skip(1).Sum() : 0, bookkeeping.Count > 0 ? bookkeeping.Average() * 1000 : 0);
    }

    private static Timing Median(List<Timing> runs)
    {
        double Of(Func<Timing, double> figure) => runs.Select(figure).Order().ElementAt(runs.Count / 2);
        return new Timing(Of(r => r.Prefill), Of(r => r.DecodePerSecond), Of(r => r.FirstToken), Of(r => r.StepsPerSecond), Of(r => r.BookkeepingMs));
    }

    /// <param name="Prefill">The prompt's forward pass, seconds.</param>
    /// <param name="DecodePerSecond">Decode forward passes with the cache, tokens per second.</param>
    /// <param name="FirstToken">Start (tokenization + prefill) and the first Next(), seconds.</param>
    /// <param name="StepsPerSecond">Next() calls after the first, per second: forward pass and bookkeeping.</param>
    /// <param name="BookkeepingMs">A step's work around its forward pass, milliseconds.</param>
    private sealed record Timing(double Prefill, double DecodePerSecond, double FirstToken, double StepsPerSecond, double BookkeepingMs);
}
