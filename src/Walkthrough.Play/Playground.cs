using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Walkthrough.Checkpoints;

namespace Walkthrough.Play;

/// <summary>
/// The prompt playground: one loaded model served to many learners' browsers, each with its own session.
/// <code>await using var playground = await Playground.StartAsync(model);   // http://127.0.0.1:5050
/// await playground.WaitAsync(cancellation);</code>
/// </summary>
public sealed class Playground : IAsyncDisposable
{
    /// <summary>A request body beyond this is refused: the longest prompt a context holds is far smaller.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    private readonly WebApplication _app;
    private readonly SessionStore _sessions;
    private readonly ModelGate _gate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweeping;

    private Playground(WebApplication app, SessionStore sessions, ModelGate gate, PlaygroundOptions options, Uri address)
    {
        _app = app;
        _sessions = sessions;
        _gate = gate;
        Options = options;
        Address = address;
        _sweeping = SweepAsync(_stopping.Token);
    }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:5050/ (with 0.0.0.0 when shared on every interface).</summary>
    public Uri Address { get; }

    public PlaygroundOptions Options { get; }

    /// <summary>Learners' sessions alive now.</summary>
    public int Sessions => _sessions.Count;

    /// <summary>The line for the model, for tests that hold it to see what waiting requests are told.</summary>
    internal ModelGate Gate => _gate;

    /// <summary>Starts listening; the model stays the caller's (the playground never disposes it).</summary>
    public static async Task<Playground> StartAsync(LanguageModel model, PlaygroundOptions? options = null, TextWriter? log = null)
    {
        options = (options ?? new PlaygroundOptions()).Validated();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Limits.MaxConcurrentConnections = 4 * options.MaxSessions + 64; // a few per page: requests, a stream
            kestrel.Listen(options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host), options.Port);
        });
        var app = builder.Build();
        var sessions = new SessionStore(model, options);
        var gate = new ModelGate(options.MaxWaiting, options.MaxWait);
        app.Use(Guard(options, log ?? TextWriter.Null));
        PageAssets.Map(app);
        new PlayApi(model, options, sessions, gate).Map(app);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            sessions.Dispose();
            gate.Dispose();
            throw new WalkthroughException(
                $"Cannot listen on {options.Host}:{options.Port} ({e.InnerException?.Message ?? e.Message}): " +
                "another program (another playground?) may use the port: choose another with --port N, or --port 0 for any free one.", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Playground(app, sessions, gate, options, new Uri(address.Replace("[::]", "0.0.0.0", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Serves until cancelled (Ctrl+C in the command).</summary>
    public async Task WaitAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Every request passes here: security headers, loopback-only hosts when not shared (no DNS rebinding), and every
    /// refusal turned into {"error": "..."} with its status, so the page can show it and the server keeps serving.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> Guard(PlaygroundOptions options, TextWriter log) => async (http, next) =>
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        try
        {
            if (options.IsLoopback && !IsLoopbackHost(http.Request.Host.Host))
                throw new PlayError(421, "This playground answers only to 127.0.0.1 or localhost; to share it, start it with --host 0.0.0.0.");
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The page went away (or stopped a generation) before the answer: nothing to tell it.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                PlayError refusal => (refusal.Status, refusal.Message),
                WalkthroughException mistake => (StatusCodes.Status400BadRequest, mistake.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (StatusCodes.Status413PayloadTooLarge, $"The request is larger than {MaxRequestBytes / 1024} KiB: no prompt that long fits the model's context."),
                BadHttpRequestException bad => (bad.StatusCode, $"Bad request: {bad.Message}"),
                _ => (StatusCodes.Status500InternalServerError, Unexpected(e, log)),
            };
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            headers.CacheControl = "no-store";
            await http.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }, PlayApi.Json));
        }
    };

    private static string Unexpected(Exception e, TextWriter log)
    {
        lock (log) log.WriteLine($"walkthrough play: unexpected {e.GetType().Name}: {e.Message}");
        return $"The playground hit an unexpected error ({e.GetType().Name}: {e.Message}). It keeps serving: try again, or reload the page.";
    }

    private static bool IsLoopbackHost(string host) =>
        host is "localhost" or "[::1]" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private async Task SweepAsync(CancellationToken stopping)
    {
        var every = TimeSpan.FromTicks(Math.Clamp(Options.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping)) _sessions.Sweep();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _sweeping;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _sessions.Dispose();
        _gate.Dispose();
        _stopping.Dispose();
    }
}
