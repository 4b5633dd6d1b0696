using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using PeerBench.Gguf;
using PeerBench.Peers;
using Walkthrough;
using Walkthrough.Checkpoints;

namespace PeerBench;

internal sealed record BenchSettings(string Model, string Dtype, IReadOnlyList<int> Threads, int PromptTokens, int NewTokens,
    int Repeats, IReadOnlyList<string> Peers, string? Python, string WorkFolder, string? JsonPath);

/// <summary>
/// The kit, llama.cpp and PyTorch eager on the same weights, each in a process of its own, interleaved round by
/// round so that a busy moment on a shared machine falls on all of them; then the table, the ratios and how far each
/// peer's logits are from the kit's.
/// </summary>
internal static class Bench
{
    private static readonly TimeSpan LoadLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RequestLimit = TimeSpan.FromMinutes(10);

    public static int Run(BenchSettings settings)
    {
        var config = ModelConfig.Read(settings.Model);
        var (promptIds, decodeIds) = Texts(settings.Model, settings.PromptTokens, settings.NewTokens, config);
        if (config.SlidingWindow is { } window && promptIds.Length + decodeIds.Length > window)
            throw new WalkthroughException($"prompt + new tokens ({promptIds.Length + decodeIds.Length}) exceed the sliding window ({window}), which llama.cpp's llama architecture does not apply: ask for fewer.");
        var self = Environment.ProcessPath!;
        var peers = new List<PeerProcess>();
        var rows = new List<PeerRow>();
        try
        {
            if (settings.Peers.Contains("kit"))
            {
                var kit = Started(peers, PeerProcess.Start("kit", self, ["worker", "kit", settings.Model, settings.Dtype], LoadLimit));
                rows.Add(new PeerRow("kit, NextTokenSession", kit, "session"));
                rows.Add(new PeerRow("kit, forward pass only", kit, "forward"));
            }
            if (settings.Peers.Contains("llama.cpp"))
            {
                var gguf = Path.Combine(settings.WorkFolder, $"{Path.GetFileName(Path.GetFullPath(settings.Model))}-{settings.Dtype}.gguf");
                if (!File.Exists(gguf))
                {
                    Console.Error.WriteLine($"writing {gguf}");
                    LlamaGguf.Write(settings.Model, settings.Dtype == "bfloat16" ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32, gguf);
                }
                var context = Math.Min(config.MaxPositions, promptIds.Length + decodeIds.Length + 8);
                rows.Add(new PeerRow("llama.cpp", Started(peers, PeerProcess.Start("llama.cpp", self, ["worker", "llama.cpp", gguf, context.ToString(CultureInfo.InvariantCulture)], LoadLimit)), "forward"));
            }
            if (settings.Peers.Contains("pytorch"))
            {
                if (settings.Python is { } python)
                    rows.Add(new PeerRow("PyTorch eager", Started(peers, PeerProcess.Start("pytorch", python, [Path.Combine(AppContext.BaseDirectory, "mistral_eager.py"), settings.Model, settings.Dtype], LoadLimit)), "forward"));
                else
                    Console.Error.WriteLine("PyTorch eager: skipped (no python3 with torch found; Debian: apt-get install python3-torch libopenblas0-openmp)");
            }
            var reference = rows[0];
            foreach (var threads in settings.Threads)
            {
                for (var repeat = 0; repeat < settings.Repeats; repeat++)
                {
                    for (var k = 0; k < rows.Count; k++)
                    {
                        var row = rows[(k + repeat) % rows.Count]; // a different peer goes first each round
                        var prefill = row.Process.Ask(new PeerRequest { Op = "prefill", Ids = promptIds, Threads = threads, Mode = row.Mode }, RequestLimit);
                        var decode = row.Process.Ask(new PeerRequest { Op = "decode", Ids = decodeIds, Threads = threads, Mode = row.Mode }, RequestLimit);
                        row.Add(threads, Of(prefill), Of(decode), decode.ForwardWallSeconds);
                        row.PrefillLogits ??= prefill.LogitValues();
                        row.DecodeLogits ??= decode.LogitValues();
                    }
                    Console.Error.Write($"\rthreads {threads}: round {repeat + 1}/{settings.Repeats}");
                }
                Console.Error.WriteLine();
            }
            var peaks = peers.ToDictionary(p => p, p => p.PeakResidentBytes);
            return Report(settings, config, promptIds.Length, decodeIds.Length, rows, reference, peaks);
        }
        finally
        {
            foreach (var peer in peers) peer.Dispose();
        }
    }

    private static PeerProcess Started(List<PeerProcess> peers, PeerProcess peer)
    {
        peers.Add(peer);
        Console.Error.WriteLine($"{peer.Name}: {peer.Ready.Detail}, loaded in {peer.Ready.LoadSeconds:0.0} s");
        return peer;
    }

    private static Measured Of(PeerAnswer answer) => new(answer.WallSeconds, answer.ThreadCpuSeconds, answer.ProcessCpuSeconds);

    /// <summary>Ordinary text cut to the lengths: the prompt, then the tokens fed one at a time (the same for every peer).</summary>
    private static (int[] Prompt, int[] Decode) Texts(string model, int promptTokens, int newTokens, ModelConfig config)
    {
        var tokenizer = Walkthrough.Tokens.Tokenizer.Load(model);
        var words = string.Join(" ", Enumerable.Repeat("Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday.", (promptTokens + newTokens) / 4 + 4));
        var ids = tokenizer.Encode(words).ToArray();
        if (promptTokens + newTokens > config.MaxPositions)
            throw new WalkthroughException($"--prompt-tokens + --new-tokens = {promptTokens + newTokens} is more than the model's context ({config.MaxPositions}).");
        return (ids[..promptTokens], ids[promptTokens..(promptTokens + newTokens)]);
    }

    private static int Report(BenchSettings settings, ModelConfig config, int prompt, int decode, List<PeerRow> rows, PeerRow reference, Dictionary<PeerProcess, long> peaks)
    {
        var tolerance = settings.Dtype == "float32" ? 1e-3 : 0.25;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"peer-bench {DateTime.UtcNow:yyyy-MM-dd}: {Path.GetFileName(Path.GetFullPath(settings.Model))} ({config.ModelType}, {config.Layers} layers × {config.HiddenSize}), {settings.Dtype}, batch 1, prompt {prompt} tokens, then {decode} tokens one at a time; median of {settings.Repeats}");
        text.AppendLine(CultureInfo.InvariantCulture, $"machine: {Machine()}");
        foreach (var peer in peaks.Keys) text.AppendLine(CultureInfo.InvariantCulture, $"  {peer.Name}: {peer.Ready.Detail}");
        var json = new List<object>();
        var agree = true;
        foreach (var threads in settings.Threads)
        {
            var cpu = threads == 1 ? "tok/CPU-s (thread)" : "tok/CPU-s (process)";
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{threads} thread{(threads == 1 ? "" : "s")}               | prefill {cpu,-19} | prefill tok/s | decode {cpu,-19} | decode tok/s | peak RSS  | max |Δlogit| prefill / decode");
            var figures = rows.ToDictionary(r => r, r => r.Figures(threads, prompt, decode));
            foreach (var row in rows)
            {
                var f = figures[row];
                var (dp, dd) = (MaxDifference(row.PrefillLogits!, reference.PrefillLogits!), MaxDifference(row.DecodeLogits!, reference.DecodeLogits!));
                agree &= Math.Max(dp, dd) <= tolerance;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{row.Name,-24} | {f.PrefillPerCpuSecond,27:N0} | {f.PrefillPerSecond,13:N0} | {f.DecodePerCpuSecond,26:N1} | {f.DecodePerSecond,12:N1} | {peaks[row.Process] / 1048576.0,5:N0} MiB | {(row == reference ? "(reference)" : $"{dp:0.0e+0} / {dd:0.0e+0}")}");
                json.Add(new
                {
                    peer = row.Name, threads, prompt_tokens = prompt, new_tokens = decode, dtype = settings.Dtype,
                    prefill_tokens_per_second = f.PrefillPerSecond, prefill_tokens_per_cpu_second = f.PrefillPerCpuSecond,
                    decode_tokens_per_second = f.DecodePerSecond, decode_tokens_per_cpu_second = f.DecodePerCpuSecond,
                    peak_resident_bytes = peaks[row.Process], max_abs_logit_difference_prefill = dp, max_abs_logit_difference_decode = dd,
                    step_bookkeeping_share = row.BookkeepingShare(threads),
                });
            }
            var kit = rows.FirstOrDefault(r => r.Mode == "session");
            var forward = rows.FirstOrDefault(r => r.Mode == "forward" && r.Process == kit?.Process);
            foreach (var peer in rows.Where(r => kit is not null && r.Process != kit.Process))
            {
                var (k, p) = (figures[kit!], figures[peer]);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"kit/{peer.Name}: prefill {k.PrefillPerCpuSecond / p.PrefillPerCpuSecond:0.00}× per CPU-s, {k.PrefillPerSecond / p.PrefillPerSecond:0.00}× wall; decode {k.DecodePerCpuSecond / p.DecodePerCpuSecond:0.00}× per CPU-s, {k.DecodePerSecond / p.DecodePerSecond:0.00}× wall");
            }
            if (kit is not null && forward is not null)
            {
                var (s, f) = (figures[kit], figures[forward]);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"a step's bookkeeping (NextTokenSession over the forward pass): {(1 - s.DecodePerCpuSecond / f.DecodePerCpuSecond) * 100:0.0} % of a step per CPU-s, {(1 - s.DecodePerSecond / f.DecodePerSecond) * 100:0.0} % wall");
            }
            if (kit?.BookkeepingShare(threads) is { } share)
            {
                // The rows above come from different rounds, which a shared machine moves by several points; this one
                // compares each session step with its own forward pass.
                text.AppendLine(CultureInfo.InvariantCulture, $"  timed inside the session's own steps: {share * 100:0.0} % of a step by the clock (median of {settings.Repeats})");
            }
        }
        text.AppendLine();
        text.AppendLine(agree
            ? $"logits agree: every peer within {tolerance:0.0e+0} of the kit's"
            : $"LOGITS DISAGREE: a peer is further than {tolerance:0.0e+0} from the kit: its figures are not comparable");
        Console.Out.Write(text.ToString());
        if (settings.JsonPath is { } path)
            File.WriteAllText(path, JsonSerializer.Serialize(new { machine = Machine(), model = settings.Model, repeats = settings.Repeats, rows = json }, new JsonSerializerOptions { WriteIndented = true }));
        return agree ? 0 : 1;
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        var max = 0.0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, load average {load}, {RuntimeInformation.OSDescription}";
    }
}
