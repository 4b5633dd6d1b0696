using System.CommandLine;
using System.Diagnostics;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough bench [--model DIR]</c>: prefill and decode speed, with and without the KV cache, time to first token,
/// and this process's peak memory — the figures the kit's notes quote, measured where you run it.
/// </summary>
public static class BenchCommand
{
    public static Command Create(Terminal terminal)
    {
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length for prefill.", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens to decode.", DefaultValueFactory = _ => 64 };
        var model = new ModelOptions();
        var command = new Command("bench", "Measure prefill and decode speed with and without the KV cache; `bench tokens` measures a tokenizer.")
        {
            promptTokens, newTokens, TokenBenchCommand.Create(terminal),
        };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            using var loaded = model.Load(parse, terminal);
            var length = Math.Min(parse.GetValue(promptTokens), loaded.ContextLength / 2);
            var decode = Math.Min(parse.GetValue(newTokens), loaded.ContextLength - length - 1);
            // A prompt of the requested length made of ordinary text.
            var words = string.Join(" ", Enumerable.Repeat("Monday, Tuesday, Wednesday, Thursday, Friday.", length));
            var prompt = loaded.Tokenizer.Decode(loaded.Tokenizer.Encode(words).Take(length), skipSpecialTokens: true);

            Run(loaded, prompt, 2, useCache: true); // warm-up: first calls pay for JIT and allocator growth
            var (ttft, cached) = Run(loaded, prompt, decode, useCache: true);
            var (_, uncached) = Run(loaded, prompt, Math.Min(decode, 16), useCache: false);
            var promptIds = loaded.Tokenizer.Encode(prompt).Count;

            terminal.Out.WriteLine($"model          {loaded}");
            terminal.Out.WriteLine($"prompt         {promptIds} tokens");
            terminal.Out.WriteLine($"prefill        {promptIds / ttft.TotalSeconds,8:0} tokens/s   (time to first token {ttft.TotalMilliseconds:0} ms)");
            terminal.Out.WriteLine($"decode, cache  {cached,8:0.0} tokens/s   ({decode} tokens)");
            terminal.Out.WriteLine($"decode, none   {uncached,8:0.0} tokens/s   (every step re-reads the whole text)");
            terminal.Out.WriteLine($"peak memory    {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024:0} MiB (this process, working set)");
            return ExitCodes.Ok;
        }));
        return command;
    }

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
