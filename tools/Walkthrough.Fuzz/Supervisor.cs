using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Walkthrough.Fuzz;

/// <summary>
/// Runs a fuzz campaign in worker processes, so that a case that aborts the process (SIGABRT), hangs or eats the
/// memory is recorded as a crash of that case and the campaign goes on with a fresh worker.
/// </summary>
internal sealed class Supervisor(FuzzOptions options)
{
    public IReadOnlyList<CaseResult> Run(Action<CaseResult> onResult)
    {
        var ids = new ConcurrentQueue<CaseId>(CaseId.For(options.Cases, options.Families).Where(id => options.Only is null || options.Only.Contains(id.Index)));
        var results = new ConcurrentBag<CaseResult>();
        var workers = Enumerable.Range(0, Math.Max(1, options.Jobs)).Select(_ => Task.Run(() =>
        {
            while (!ids.IsEmpty) RunWorker(ids, result => { results.Add(result); onResult(result); });
        })).ToArray();
        Task.WaitAll(workers);
        return results.OrderBy(r => r.Index).ToList();
    }

    // One worker process, fed cases until the queue is empty or the worker dies.
    private void RunWorker(ConcurrentQueue<CaseId> ids, Action<CaseResult> report)
    {
        using var process = Start();
        var lines = new BlockingCollection<string?>();
        var stderr = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => lines.Add(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            stderr.Enqueue(line);
            while (stderr.Count > 20) stderr.TryDequeue(out string? _);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (ids.TryDequeue(out var id))
        {
            process.StandardInput.WriteLine($"{id.Index} {id.Family} {id.IndexInFamily}");
            process.StandardInput.Flush();
            CaseResult? announced = null;
            // Until the case is announced the worker may still be building the base model and the family's mutator.
            var deadline = DateTime.UtcNow + options.CaseTimeout + TimeSpan.FromMinutes(5);
            while (true)
            {
                if (!lines.TryTake(out var line, Remaining(deadline)))
                {
                    Kill(process);
                    report(Died(id, announced, $"hung: no end after {options.CaseTimeout.TotalSeconds:0} s"));
                    return;
                }
                if (line is null)
                {
                    process.WaitForExit();
                    report(Died(id, announced, ExitReason(process.ExitCode, stderr)));
                    return;
                }
                if (line.StartsWith(Worker.CasePrefix, StringComparison.Ordinal))
                {
                    announced = JsonSerializer.Deserialize<CaseResult>(line[Worker.CasePrefix.Length..]);
                    deadline = DateTime.UtcNow + options.CaseTimeout;
                }
                else if (line.StartsWith(Worker.ResultPrefix, StringComparison.Ordinal))
                {
                    report(JsonSerializer.Deserialize<CaseResult>(line[Worker.ResultPrefix.Length..])!);
                    break;
                }
                else if (line.StartsWith("MEMORY ", StringComparison.Ordinal))
                {
                    process.WaitForExit();
                    report(Died(id, announced, $"memory: the worker passed {options.MemoryLimitBytes >> 30} GiB resident (the guard stopped it)"));
                    return;
                }
            }
        }
        process.StandardInput.Close();
        process.WaitForExit();
    }

    private static CaseResult Died(CaseId id, CaseResult? announced, string why) =>
        new(id.Index, id.Family, announced?.Description ?? "(the worker died before the case began)", announced?.Expect ?? Expect.Refuse, Outcome.Crash, why);

    private static string ExitReason(int code, ConcurrentQueue<string> stderr)
    {
        var signal = code > 128 ? code - 128 : 0;
        var name = signal switch { 6 => "SIGABRT", 9 => "SIGKILL", 11 => "SIGSEGV", 0 => $"exit code {code}", _ => $"signal {signal}" };
        var last = stderr.LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return $"process died: {name}{(last is null ? "" : $" ({(last.Length > 160 ? last[..160] : last)})")}";
    }

    private static TimeSpan Remaining(DateTime deadline) => deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;

    private Process Start()
    {
        // This program, as a worker: through the dotnet host when that is how this process runs (as the test host does,
        // whose entry assembly is not this one).
        var host = Environment.ProcessPath!;
        var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (viaDotnet) start.ArgumentList.Add(typeof(Worker).Assembly.Location);
        foreach (var argument in new[] { "--worker", "--seed", options.Seed.ToString(), "--base", options.Base, "--memory-limit", options.MemoryLimitBytes.ToString() })
            start.ArgumentList.Add(argument);
        if (options.TracesFolder is { } traces)
        {
            start.ArgumentList.Add("--traces");
            start.ArgumentList.Add(traces);
        }
        return Process.Start(start)!;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // it ended on its own
        }
    }
}
