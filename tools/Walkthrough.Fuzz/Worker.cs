using System.Text.Json;

namespace Walkthrough.Fuzz;

/// <summary>
/// A child process that runs cases the supervisor sends (one "index family indexInFamily" line each), announcing each
/// case before it runs and its result after, as JSON lines. If a case kills the process — libtorch aborting on a
/// huge allocation, say — the supervisor knows which case it was and starts a new worker. A watchdog stops the
/// process before a runaway case takes the machine's memory.
/// </summary>
internal static class Worker
{
    public const string CasePrefix = "CASE ";
    public const string ResultPrefix = "RESULT ";

    public static int Run(int seed, string baseModel, long memoryLimit)
    {
        var output = Console.Out;
        Console.SetOut(TextWriter.Null);  // only the protocol goes to stdout; libraries' chatter does not
        StartWatchdog(output, memoryLimit);
        using var run = new FuzzRun(seed, baseModel);
        while (Console.In.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            var id = new CaseId(int.Parse(parts[0]), Enum.Parse<Family>(parts[1]), int.Parse(parts[2]));
            var fuzz = run.Make(id);
            Send(output, CasePrefix, new CaseResult(id.Index, id.Family, fuzz.Description, fuzz.Judgement.Expect, Outcome.Crash, "did not end"));
            Send(output, ResultPrefix, run.Run(id));
        }
        return 0;
    }

    private static void Send(TextWriter output, string prefix, CaseResult result)
    {
        lock (output)
        {
            output.WriteLine(prefix + JsonSerializer.Serialize(result));
            output.Flush();
        }
    }

    private static void StartWatchdog(TextWriter output, long limit)
    {
        if (!OperatingSystem.IsLinux()) return;
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(20);
                var resident = Resident();
                if (resident <= limit) continue;
                lock (output)
                {
                    output.WriteLine($"MEMORY {resident}");
                    output.Flush();
                }
                Environment.Exit(3);
            }
        }) { IsBackground = true, Name = "memory watchdog" };
        thread.Start();
    }

    // VmRSS from /proc/self/status, in bytes.
    private static long Resident()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }
}
