using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Walkthrough.Checkpoints;
using Walkthrough.Play;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough play</c>: the prompt playground, a local web page that many learners' browsers share.</summary>
public static class PlayCommand
{
    public static Command Create(Terminal terminal)
    {
        var defaults = new PlaygroundOptions();
        var port = new Option<int>("--port") { Description = "The port to listen on (0 picks a free one).", DefaultValueFactory = _ => defaults.Port };
        var host = new Option<string>("--host")
        {
            Description = "127.0.0.1 (default) serves this machine only; 0.0.0.0 shares the playground with every network this machine is on.",
            DefaultValueFactory = _ => defaults.Host,
        };
        var sessions = new Option<int>("--max-sessions") { Description = "Learners' pages served at once.", DefaultValueFactory = _ => defaults.MaxSessions };
        var tokens = new Option<int>("--max-tokens") { Description = "Tokens one page's text may hold (at most the model's context).", DefaultValueFactory = _ => defaults.MaxTokens };
        var newTokens = new Option<int>("--max-new-tokens") { Description = "Tokens one page may add after its prompt.", DefaultValueFactory = _ => defaults.MaxNewTokens };
        var idle = new Option<double>("--idle-minutes") { Description = "A page unused this long loses its session.", DefaultValueFactory = _ => defaults.IdleTimeout.TotalMinutes };
        var model = new ModelOptions();
        var command = new Command("play", "The prompt playground: a web page to type a prompt and watch the model choose, step by step.")
        {
            port, host, sessions, tokens, newTokens, idle,
        };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var minutes = parse.GetValue(idle);
            if (!(minutes > 0 && minutes <= 24 * 60)) throw new WalkthroughException($"--idle-minutes {minutes} is outside (0, 1440]: use e.g. 15.");
            var options = new PlaygroundOptions
            {
                Host = parse.GetValue(host) ?? defaults.Host,
                Port = parse.GetValue(port),
                MaxSessions = parse.GetValue(sessions),
                MaxTokens = parse.GetValue(tokens),
                MaxNewTokens = parse.GetValue(newTokens),
                IdleTimeout = TimeSpan.FromMinutes(minutes),
            }.Validated();
            using var loaded = model.Load(parse, terminal);
            using var stop = new CancellationTokenSource();
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(stop));
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
            Serve(terminal, loaded, options, stop.Token).GetAwaiter().GetResult();
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => signal =>
    {
        signal.Cancel = true;
        stop.Cancel();
    };

    private static async Task Serve(Terminal terminal, LanguageModel model, PlaygroundOptions options, CancellationToken stop)
    {
        await using var playground = await Playground.StartAsync(model, options, terminal.Error);
        var memory = options.MemoryFor(model);
        var port = playground.Address.Port;
        terminal.Out.WriteLine($"walkthrough play: {model.Name} is ready for learners' browsers.");
        if (options.IsLoopback)
        {
            terminal.Out.WriteLine($"  Open {playground.Address} in a browser. Ctrl+C stops the playground.");
        }
        else
        {
            terminal.Out.WriteLine($"  Warning: shared on {options.Host}: anyone who can reach this machine on port {port} can use the playground " +
                "(each page sees only its own session, and nothing is stored). Share it only on a network you trust, such as the workshop's.");
            terminal.Out.WriteLine($"  Learners open: {string.Join("  ", Addresses(options.Host).Select(a => $"http://{a}:{port}/"))}   Ctrl+C stops the playground.");
        }
        terminal.Out.WriteLine($"  Each page has its own session: at most {options.MaxSessions} at once, {options.TokensFor(model):N0} tokens each " +
            $"({options.MaxNewTokens} added after the prompt), at most {memory} a session; a page idle for {options.IdleTimeout.TotalMinutes:0.#} minutes is freed.");
        await playground.WaitAsync(stop);
        terminal.Out.WriteLine("walkthrough play: stopped.");
    }

    // The addresses learners can type: this machine's IPv4 addresses on the interfaces that are up.
    private static IEnumerable<string> Addresses(string host)
    {
        if (host != IPAddress.Any.ToString()) return [host];
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString())
            .ToList();
        return addresses.Count > 0 ? addresses : ["<this machine's address>"];
    }
}
