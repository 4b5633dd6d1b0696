using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// Debian's headless Chromium, driven over the DevTools protocol (a WebSocket, no test library): opens a page, lets it
/// run, and reports every chart on it (its drawn marks: SVG shapes with a size) and every script error it logged.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
    private readonly Process process;
    private readonly ClientWebSocket socket = new();
    private readonly string profile;
    private int id;

    /// <summary>A chart's title and how many of its marks the browser laid out with a size.</summary>
    public sealed record Chart(string Title, int Marks, int Drawn);

    /// <summary>
    /// What a page showed: its charts, the script errors it logged (exceptions, console.error), and how many code blocks
    /// are cut off at the right (wider than their box).
    /// </summary>
    public sealed record Page(IReadOnlyList<Chart> Charts, IReadOnlyList<string> ScriptErrors, int ClippedCode);

    private Chromium(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    public static async Task<Chromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("walkthrough-chromium-").FullName;
        // The flags a closed network needs (no background connections), as root (no sandbox), without a GPU.
        var start = new ProcessStartInfo("chromium")
        {
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
                "--remote-debugging-port=0", "about:blank",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var chromium = new Chromium(process, profile);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (DevToolsUrl().Match(line) is { Success: true } match)
            {
                _ = process.StandardError.ReadToEndAsync(); // keep draining
                await chromium.socket.ConnectAsync(new Uri(match.Groups[1].Value), timeout.Token);
                return chromium;
            }
        }
        throw new InvalidOperationException("chromium did not print its DevTools address");
    }

    /// <summary>Opens the file, waits for it to load and settle, and reads its charts.</summary>
    public async Task<Page> OpenAsync(string file)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var session = (string)(await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }))["sessionId"]!;
        var errors = new List<string>();
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Page.enable" }) await SendAsync(domain, new JsonObject(), session, errors);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(file)).AbsoluteUri }, session, errors);
        await WaitForAsync("Page.loadEventFired", session, errors, TimeSpan.FromSeconds(60));
        await Task.Delay(1000); // scripts the page starts on load
        var report = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = """
                JSON.stringify({
                  charts: [...document.querySelectorAll('svg.wt-chart')].map(svg => {
                    const marks = [...svg.querySelectorAll('.wt-m')];
                    const drawn = marks.filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
                    return { title: svg.querySelector('title')?.textContent ?? '', marks: marks.length, drawn: drawn.length };
                  }),
                  clipped: [...document.querySelectorAll('pre.code')].filter(p => p.scrollWidth > p.clientWidth + 1).length,
                })
                """,
            ["returnByValue"] = true,
        }, session, errors);
        var found = JsonNode.Parse((string)report["result"]!["value"]!)!;
        var charts = found["charts"]!.AsArray().Select(c => new Chart((string)c!["title"]!, (int)c["marks"]!, (int)c["drawn"]!)).ToList();
        await SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = (string)target["targetId"]! });
        return new Page(charts, errors, (int)found["clipped"]!);
    }

    public async ValueTask DisposeAsync()
    {
        socket.Dispose();
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } // chromium may still hold a file
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = null, List<string>? errors = null)
    {
        var message = new JsonObject { ["id"] = ++id, ["method"] = method, ["params"] = parameters };
        if (session is not null) message["sessionId"] = session;
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var sent = id;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var reply = await ReceiveAsync(timeout.Token);
            if (errors is not null) Collect(reply, errors);
            if ((int?)reply["id"] == sent)
                return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : reply["result"]!;
        }
    }

    private async Task WaitForAsync(string eventName, string session, List<string> errors, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var message = await ReceiveAsync(timeout.Token);
            Collect(message, errors);
            if ((string?)message["method"] == eventName && (string?)message["sessionId"] == session) return;
        }
    }

    // Uncaught exceptions, console.error and console.assert, and errors the browser logs about scripts. Failed network
    // requests are not script errors: a page Jupyter renders asks CDNs for require.js and MathJax, which a closed
    // network refuses.
    private static void Collect(JsonNode message, List<string> errors)
    {
        var parameters = message["params"];
        switch ((string?)message["method"])
        {
            case "Runtime.exceptionThrown":
                var details = parameters!["exceptionDetails"]!;
                errors.Add($"exception: {(string?)details["exception"]?["description"] ?? (string?)details["text"]}");
                break;
            case "Runtime.consoleAPICalled" when (string?)parameters!["type"] is "error" or "assert":
                errors.Add($"console.{(string?)parameters["type"]}: {string.Join(" ", parameters["args"]!.AsArray().Select(a => (string?)a!["value"] ?? (string?)a["description"]))}");
                break;
            case "Log.entryAdded" when (string?)parameters!["entry"]!["level"] == "error" && (string?)parameters["entry"]!["source"] == "javascript":
                errors.Add($"log: {(string?)parameters["entry"]!["text"]}");
                break;
        }
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsUrl();
}
