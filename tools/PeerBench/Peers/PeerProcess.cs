using System.Diagnostics;
using System.Text.Json;

namespace PeerBench.Peers;

/// <summary>
/// A peer running in a process of its own — its own threads, its own allocator, its own peak memory — driven over
/// stdin/stdout. Disposing it asks it to quit, then ends it (and its children) if it has not within seconds.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;

    private PeerProcess(string name, ProcessStartInfo start, TimeSpan loadLimit)
    {
        Name = name;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: could not start {start.FileName}");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Errors.Add(line); };
        _process.BeginErrorReadLine();
        var ready = ReadLine(loadLimit) ?? throw new InvalidOperationException($"{name} did not start: {string.Join(" | ", Errors.TakeLast(5))}");
        Ready = JsonSerializer.Deserialize<PeerReady>(ready, PeerJson.Options)!;
    }

    public string Name { get; }

    public PeerReady Ready { get; }

    public List<string> Errors { get; } = [];

    /// <summary>The most resident memory the process has had (VmHWM), bytes.</summary>
    public long PeakResidentBytes => ProcStatus.PeakResidentBytes(_process.Id);

    public static PeerProcess Start(string name, string file, IEnumerable<string> arguments, TimeSpan loadLimit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Threads are set per request; OpenMP must not spin up a pool of its own size first.
        start.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>()) start.Environment[variable] = value;
        return new PeerProcess(name, start, loadLimit);
    }

    public PeerAnswer Ask(PeerRequest request, TimeSpan limit)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request, PeerJson.Options));
        _process.StandardInput.Flush();
        var line = ReadLine(limit) ?? throw new InvalidOperationException($"{Name} gave no answer to {request.Op} within {limit.TotalSeconds:0} s: {string.Join(" | ", Errors.TakeLast(5))}");
        var answer = JsonSerializer.Deserialize<PeerAnswer>(line, PeerJson.Options)!;
        return answer.Error is { } error ? throw new InvalidOperationException($"{Name}: {error}") : answer;
    }

    // The next protocol line; native code may print to the same stdout (a C library's printf), and such lines are kept as notes.
    private string? ReadLine(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(limit - clock.Elapsed) || read.Result is not { } line) return null;
            if (line.StartsWith('{')) return line;
            Errors.Add(line);
        }
        return null;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"op\":\"quit\"}");
                _process.StandardInput.Close();
            }
        }
        catch (IOException)
        {
            // already gone
        }
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

internal static class ProcStatus
{
    public static long PeakResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }
}
