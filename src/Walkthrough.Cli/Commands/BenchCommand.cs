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

            Run(loaded, prompt, 2, useCache: true); // warm-up: first calls pay for JIT and allocator growth
            var (ttft, cached) = Run(loaded, prompt, decode, useCache: true);
            var (_, uncached) = Run(loaded, prompt, Math.Min(decode, 16), useCache: false);
            var promptIds = loaded.Tokenizer.Encode(prompt).Count;
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
                PrefillSeconds = ttft.TotalSeconds,
                PrefillTokensPerSecond = promptIds / ttft.TotalSeconds,
                DecodeTokensPerSecond = cached,
                DecodeMsPerToken = cached > 0 ? 1000 / cached : 0,
                UncachedDecodeTokensPerSecond = uncached,
                WeightBytes = loaded.ParameterBytes,
                PeakGpuBytes = onGpu ? gpuMemory.PeakBytes : null,
                PlannedBytes = MemoryPlan.For(loaded.Config, DtypeOf(loaded), new Gpu("this machine", 0), context: promptIds + decode, model: loaded.Name).TotalBytes,
                PeakProcessBytes = Process.GetCurrentProcess().PeakWorkingSet64,
                Threads = TorchSharp.torch.get_num_threads(),
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
        terminal.Out.WriteLine($"prefill        {result.PrefillTokensPerSecond,8:0} tokens/s   (time to first token {result.PrefillSeconds * 1000:0} ms)");
        terminal.Out.WriteLine($"decode, cache  {result.DecodeTokensPerSecond,8:0.0} tokens/s   ({result.NewTokens} tokens, {result.DecodeMsPerToken:0.0} ms each)");
        terminal.Out.WriteLine($"decode, none   {result.UncachedDecodeTokensPerSecond,8:0.0} tokens/s   (every step re-reads the whole text)");
        if (result.PeakGpuBytes is { } peak)
            terminal.Out.WriteLine($"peak GPU       {Display.Units.Bytes(peak)} (NVML, above the start; the planner predicted {Display.Units.Bytes(result.PlannedBytes)})");
        terminal.Out.WriteLine($"peak memory    {result.PeakProcessBytes / 1024.0 / 1024:0} MiB (this process, working set)");
    }

    private static Dtype DtypeOf(Checkpoints.LanguageModel model) => model.Dtype switch
    {
        _ when model.Int8 => Dtype.Int8,
        TorchSharp.torch.ScalarType.BFloat16 => Dtype.BFloat16,
        TorchSharp.torch.ScalarType.Float16 => Dtype.Float16,
        _ => Dtype.Float32,
    };

    // Time to the first token (prefill + one step), then decode speed over the remaining steps.
    private static (TimeSpan FirstToken, double TokensPerSecond) Run(Checkpoints.LanguageModel model, string prompt, int steps, bool useCache)
    {
        var clock = Stopwatch.StartNew();
        using var session = model.Start(prompt, SamplingOptions.Greedy, useCache, candidates: 1);
        session.Next();
        var first = clock.Elapsed;
        clock.Restart();
        for (var i = 1; i < steps; i++) session.Next();
        return (first, steps > 1 ? (steps - 1) / clock.Elapsed.TotalSeconds : 0);
    }
}
