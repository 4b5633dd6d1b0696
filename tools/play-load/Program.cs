using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

// Simulated learners, each with its own page session: read a prompt, then step (with a pause between steps, as a
// person reading the candidates would), reading the prompt again every few steps, as a learner who edits it does.
// Every answer is read whole (the page gets the next token's logits each time). Prints one line per run.
//
//   dotnet run --project tools/play-load -c Release -- --url http://127.0.0.1:5050/ --learners 20 --think-ms 1000 --seconds 30

var options = Arguments.Parse(args);
var url = new Uri(options.Get("url", "http://127.0.0.1:5050/"));
var learners = int.Parse(options.Get("learners", "8"), CultureInfo.InvariantCulture);
var think = TimeSpan.FromMilliseconds(double.Parse(options.Get("think-ms", "1000"), CultureInfo.InvariantCulture));
var duration = TimeSpan.FromSeconds(double.Parse(options.Get("seconds", "30"), CultureInfo.InvariantCulture));
var stepsPerPrompt = int.Parse(options.Get("steps-per-prompt", "20"), CultureInfo.InvariantCulture);
var temperature = double.Parse(options.Get("temperature", "0.8"), CultureInfo.InvariantCulture);
var server = options.Get("server-pid", "");   // the playground's process: its CPU time per step, whatever else shares the machine

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 * learners + 8 }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
var measured = new Record();
var cpuBefore = CpuSeconds(server);
var clock = Stopwatch.StartNew();
var end = clock.Elapsed + duration;

await Task.WhenAll(Enumerable.Range(0, learners).Select(async learner =>
{
    var random = new Random(learner);
    await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * think.TotalMilliseconds)); // learners do not start in step
    var session = await Open();
    var prompts = new[] { "Once upon a time", "Monday, Tuesday, Wednesday,", "The capital of France is", "Can you write an email explaining what an LLM is?" };
    for (var round = 0; clock.Elapsed < end; round++)
    {
        await Send(session, "prompt", new { text = $"{prompts[(learner + round) % prompts.Length]} ({learner})", template = "none" }, "prompt");
        for (var step = 0; step < stepsPerPrompt && clock.Elapsed < end; step++)
        {
            await Task.Delay(think);
            await Send(session, "step", new { temperature, topK = 40, topP = 0.95, seed = (ulong)(round * 1000 + step) }, "step");
        }
    }
    await http.DeleteAsync($"api/sessions/{session}");
}));
measured.Print(learners, think, clock.Elapsed, CpuSeconds(server) - cpuBefore);

// User + system CPU seconds of a process so far (Linux: /proc/PID/stat, in clock ticks of 1/100 s).
static double CpuSeconds(string pid)
{
    if (pid.Length == 0) return 0;
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

async Task<string> Open()
{
    for (var attempt = 0; ; attempt++)
    {
        using var response = await http.PostAsync("api/sessions", null);
        if (response.StatusCode == HttpStatusCode.Created)
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("session").GetString()!;
        measured.Waited();
        if (attempt > 600) throw new InvalidOperationException($"no session: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await Task.Delay(200);
    }
}

async Task Send(string session, string action, object body, string kind)
{
    var started = Stopwatch.GetTimestamp();
    using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
    using var response = await http.PostAsync($"api/sessions/{session}/{action}", content);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    if (response.IsSuccessStatusCode) measured.Answered(kind, Stopwatch.GetElapsedTime(started), bytes.Length);
    else measured.Refused(response.StatusCode);
}

/// <summary>Latencies per kind of request, and the refusals by status.</summary>
sealed class Record
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<double>> _milliseconds = [];
    private readonly Dictionary<HttpStatusCode, int> _refused = [];
    private long _bytes;
    private int _waitedToOpen;

    /// <summary>A session refused for now (the playground lets pages open at 10 a second): the learner tries again.</summary>
    public void Waited() => Interlocked.Increment(ref _waitedToOpen);

    public void Answered(string kind, TimeSpan latency, int bytes)
    {
        lock (_lock)
        {
            if (!_milliseconds.TryGetValue(kind, out var list)) _milliseconds[kind] = list = [];
            list.Add(latency.TotalMilliseconds);
            _bytes += bytes;
        }
    }

    public void Refused(HttpStatusCode status)
    {
        lock (_lock) _refused[status] = _refused.GetValueOrDefault(status) + 1;
    }

    public void Print(int learners, TimeSpan think, TimeSpan elapsed, double serverCpu)
    {
        static string Percentiles(List<double> values)
        {
            values.Sort();
            double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
            return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5):0} ms, p95 {At(0.95):0} ms, p99 {At(0.99):0} ms");
        }
        var steps = _milliseconds.GetValueOrDefault("step") ?? [];
        var prompts = _milliseconds.GetValueOrDefault("prompt") ?? [];
        var refused = _refused.Count == 0 ? "none" : string.Join(", ", _refused.Select(r => $"{(int)r.Key}×{r.Value}"));
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine((
            $"{learners} learners, think {think.TotalMilliseconds:0} ms, {elapsed.TotalSeconds:0} s: {steps.Count / elapsed.TotalSeconds:0.0} steps/s " +
            $"(step {(steps.Count > 0 ? Percentiles(steps) : "-")}); {prompts.Count} prompts ({(prompts.Count > 0 ? Percentiles(prompts) : "-")}); " +
            $"{_bytes / elapsed.TotalSeconds / 1e6:0.0} MB/s answered; refused: {refused} (opening retried {_waitedToOpen}×); " +
            $"server CPU {serverCpu:0.0} s = {1000 * serverCpu / Math.Max(1, steps.Count + prompts.Count):0.0} ms a request"));
    }
}

/// <summary>--name value pairs.</summary>
sealed class Arguments(Dictionary<string, string> values)
{
    public static Arguments Parse(string[] args) =>
        new(Enumerable.Range(0, args.Length / 2).ToDictionary(i => args[2 * i].TrimStart('-'), i => args[2 * i + 1]));

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
