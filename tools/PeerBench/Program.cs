using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PeerBench.Gguf;
using PeerBench.Peers;
using Walkthrough;

namespace PeerBench;

// dotnet run --project tools/PeerBench -c Release -- [--model DIR | --shape tinyllama-1.1b-chat] [--dtype float32|bfloat16] [--threads 1,2]
internal static class PeerBenchProgram
{
    public static int Main(string[] args)
    {
        var model = new Option<string?>("--model") { Description = "A kit model folder (default: the bundled data/models/walkthrough-tiny)." };
        var shape = new Option<string?>("--shape") { Description = "A config.json folder (a name under data/configs, e.g. tinyllama-1.1b-chat): random weights of that shape, made once under --work." };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        var threads = new Option<string>("--threads") { Description = "Thread counts to measure, e.g. 1,2.", DefaultValueFactory = _ => "1,2" };
        var promptTokens = new Option<int>("--prompt-tokens") { DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Rounds; each figure is the median.", DefaultValueFactory = _ => 7 };
        var peers = new Option<string>("--peers") { DefaultValueFactory = _ => "kit,llama.cpp,pytorch" };
        var python = new Option<string?>("--python") { Description = "A python3 with torch (default: the first of python3, /usr/bin/python3 that imports torch)." };
        var work = new Option<string?>("--work") { Description = "Where GGUF files and random models go (default: artifacts/peer-bench)." };
        var json = new Option<string?>("--json") { Description = "Also write every figure to this JSON file." };
        var root = new RootCommand("The kit beside llama.cpp and PyTorch eager on the same weights: prefill and decode speed, peak memory, logit agreement.")
        {
            model, shape, dtype, threads, promptTokens, newTokens, repeats, peers, python, work, json,
        };
        root.SetAction(parse => Guard(() =>
        {
            Walkthrough.Native.TorchRuntime.Ensure(); // the kit's loader, before any torch call (GGUF writing, random weights)
            var workFolder = Path.GetFullPath(parse.GetValue(work) ?? Path.Combine(KitData.Root, "..", "artifacts", "peer-bench"));
            Directory.CreateDirectory(workFolder);
            var folder = parse.GetValue(shape) is { } name
                ? RandomModel.For(Directory.Exists(name) ? name : Path.Combine(KitData.Root, "configs", name), workFolder)
                : parse.GetValue(model) ?? KitData.DefaultModel;
            var type = parse.GetValue(dtype)!;
            if (type is not ("float32" or "bfloat16")) throw new WalkthroughException($"--dtype {type}: use float32 or bfloat16.");
            var counts = parse.GetValue(threads)!.Split(',').Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new WalkthroughException($"--threads {t}: give positive whole numbers, e.g. 1,2.")).ToArray();
            if (parse.GetValue(promptTokens) < 1 || parse.GetValue(newTokens) < 1 || parse.GetValue(repeats) < 1)
                throw new WalkthroughException("--prompt-tokens, --new-tokens and --repeats must be at least 1.");
            var chosen = parse.GetValue(peers)!.Split(',');
            return Bench.Run(new BenchSettings(folder, type, counts, parse.GetValue(promptTokens), parse.GetValue(newTokens), parse.GetValue(repeats),
                chosen, Python(parse.GetValue(python)), workFolder, parse.GetValue(json)));
        }));

        var gguf = new Command("gguf", "Write a kit model folder as a GGUF file for llama.cpp.");
        var ggufModel = new Argument<string>("model");
        var ggufOut = new Argument<string>("out");
        gguf.Add(ggufModel);
        gguf.Add(ggufOut);
        gguf.Add(dtype);
        gguf.SetAction(parse => Guard(() =>
        {
            Walkthrough.Native.TorchRuntime.Ensure();
            LlamaGguf.Write(parse.GetValue(ggufModel)!, parse.GetValue(dtype) == "bfloat16" ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32, parse.GetValue(ggufOut)!);
            return 0;
        }));
        root.Add(gguf);

        // The peers' own processes (started by the benchmark itself).
        var worker = new Command("worker") { Hidden = true };
        var peer = new Argument<string>("peer");
        var source = new Argument<string>("source");
        var extra = new Argument<string>("extra");
        worker.Add(peer);
        worker.Add(source);
        worker.Add(extra);
        worker.SetAction(parse => parse.GetValue(peer) switch
        {
            "kit" => PeerWorker.Run("kit", () => KitPeer.Load(parse.GetValue(source)!, parse.GetValue(extra)!)),
            _ => PeerWorker.Run("llama.cpp", () => LlamaCppPeer.Load(parse.GetValue(source)!, int.Parse(parse.GetValue(extra)!, CultureInfo.InvariantCulture))),
        });
        root.Add(worker);
        return root.Parse(args).Invoke();
    }

    private static int Guard(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (WalkthroughException e)
        {
            Console.Error.WriteLine($"peer-bench: {e.Message}");
            return 2;
        }
    }

    private static string? Python(string? given)
    {
        foreach (var candidate in given is null ? ["python3", "/usr/bin/python3"] : new[] { given })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(candidate, ["-c", "import torch, numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                if (process.WaitForExit(60_000) && process.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }
        return given is null ? null : throw new WalkthroughException($"--python {given}: it cannot import torch and numpy.");
    }
}
