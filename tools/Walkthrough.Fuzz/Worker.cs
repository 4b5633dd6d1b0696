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

    public static int Run(int seed, string baseModel, long memoryLimit, string? traces)
    {
        var output = Console.Out;
        Console.SetOut(TextWriter.Null);  // only the protocol goes to stdout; libraries' chatter does not
        StartWatchdog(output, memoryLimit);
        using var run = new FuzzRun(seed, baseModel, traces);
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

    // It allocates nothing as it polls: a thread that allocates can start a garbage collection while the main thread is
    // inside libtorch, and TorchSharp 0.107 then finalizes a Scalar it made for that call (an implicit conversion, or
    // the alpha of every tensor + tensor) while libtorch still reads it: "Unknown scalar type" or "Expected false to be
    // true" from c10/core/Scalar.h, a crash no input caused.
    private static void StartWatchdog(TextWriter output, long limit)
    {
        if (!OperatingSystem.IsLinux()) return;
        var statm = File.OpenHandle("/proc/self/statm");
        var buffer = new byte[128];
        var page = Environment.SystemPageSize;
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(50);
                var resident = Resident(statm, buffer) * page;
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

    // /proc/self/statm: "size resident shared ..." in pages; the second number, parsed in place.
    private static long Resident(Microsoft.Win32.SafeHandles.SafeFileHandle statm, byte[] buffer)
    {
        var read = RandomAccess.Read(statm, buffer, 0);
        var i = 0;
        while (i < read && buffer[i] != ' ') i++;
        var pages = 0L;
        for (i++; i < read && buffer[i] is >= (byte)'0' and <= (byte)'9'; i++) pages = pages * 10 + (buffer[i] - '0');
        return pages;
    }
}
