using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Walkthrough.Notebooks;

/// <summary>
/// The real .NET Interactive kernel — the stock <c>dotnet-interactive</c> tool that VS Code's Polyglot Notebooks
/// starts — driven the way the extension drives it: <c>dotnet interactive stdio</c>, one JSON command per line in, one
/// JSON event per line out. Each code cell is a <c>SubmitCode</c>; its events become the cell's outputs as the
/// kernel produced them. The tool comes from the repository's tool manifest (<c>dotnet tool restore</c>).
/// <code>var executed = await StockKernel.RunAsync("notebooks/01-tokens.ipynb");</code>
/// </summary>
public sealed class StockKernel : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<JsonObject> events = Channel.CreateUnbounded<JsonObject>();
    private readonly StringBuilder errors = new();
    private int submissions;

    private StockKernel(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        _ = Task.Run(ReadEventsAsync);
    }

    /// <summary>Runs every code cell of the notebook in a new kernel; throws <see cref="NotebookException"/> at the first that fails.</summary>
    /// <returns>The notebook with the kernel's outputs and execution counts.</returns>
    public static async Task<Notebook> RunAsync(string path, TimeSpan? cellTimeout = null, CancellationToken cancellationToken = default)
    {
        var notebook = Notebook.Load(path).Cleared();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        await using var kernel = await StartAsync(folder, cancellationToken);
        var cells = notebook.Cells.ToList();
        var number = 0;
        for (var index = 0; index < cells.Count; index++)
        {
            var cell = cells[index];
            if (cell.Kind != CellKind.Code) continue;
            number++;
            var (outputs, failure) = await kernel.SubmitAsync(cell.Source, number, cellTimeout ?? TimeSpan.FromMinutes(10), cancellationToken);
            cells[index] = cell with { ExecutionCount = number, Outputs = outputs };
            if (failure is not null)
                throw new NotebookException($"{path}, code cell {number} (cell {index + 1} of {cells.Count}) `{cell.FirstLine}` failed in the kernel: {failure}",
                    path, index, number, notebook with { Cells = cells }, new WalkthroughException(failure));
        }
        return notebook with { Cells = cells };
    }

    /// <summary>Starts the kernel in <paramref name="folder"/> (the notebook's, as VS Code does) and waits until it is ready.</summary>
    public static async Task<StockKernel> StartAsync(string folder, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "interactive", "stdio", "--working-dir", folder },
            WorkingDirectory = folder, // the local tool manifest is found from here, up to the repository's root
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var kernel = new StockKernel(Process.Start(start) ?? throw new WalkthroughException("Could not start `dotnet interactive stdio`."));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            while (true)
            {
                var e = await kernel.NextEventAsync(timeout.Token);
                if ((string?)e["eventType"] == "KernelReady") return kernel;
            }
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = kernel.Errors();
            await kernel.DisposeAsync();
            throw new WalkthroughException(why.Contains("dotnet-interactive does not exist", StringComparison.Ordinal) || why.Contains("could not be found", StringComparison.Ordinal)
                ? $"The .NET Interactive kernel is not installed here: run `dotnet tool restore` in the repository (its .config/dotnet-tools.json pins Microsoft.dotnet-interactive). {why.Trim()}"
                : $"The .NET Interactive kernel did not start in {folder}: {why.Trim()}");
        }
    }

    /// <summary>
    /// Runs one cell's code and returns what the kernel showed: console text as streams, displayed values and the
    /// cell's value with every mime type the kernel formatted, and the kernel's message when the cell failed.
    /// </summary>
    public async Task<(IReadOnlyList<CellOutput> Outputs, string? Failure)> SubmitAsync(string code, int executionCount, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var token = $"walkthrough-{++submissions}";
        var command = new JsonObject
        {
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
            ["token"] = token,
        };
        await process.StandardInput.WriteLineAsync(command.ToJsonString());
        await process.StandardInput.FlushAsync(cancellationToken);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var outputs = new List<CellOutput>();
        var displays = new Dictionary<string, int>(); // value id → index in outputs, for DisplayedValueUpdated
        try
        {
            while (true)
            {
                var e = await NextEventAsync(limit.Token);
                var eventToken = (string?)e["command"]?["token"];
                if (eventToken != token && eventToken?.StartsWith(token + ".", StringComparison.Ordinal) != true) continue;
                var body = e["event"]!;
                switch ((string?)e["eventType"])
                {
                    case "StandardOutputValueProduced": Stream(outputs, StreamOutput.StandardOutput, Formatted(body)); break;
                    case "StandardErrorValueProduced": Stream(outputs, StreamOutput.StandardError, Formatted(body)); break;
                    case "DisplayedValueProduced":
                        if ((string?)body["valueId"] is { } id) displays[id] = outputs.Count;
                        outputs.Add(new DisplayOutput(Values(body)));
                        break;
                    case "DisplayedValueUpdated":
                        if ((string?)body["valueId"] is { } updated && displays.TryGetValue(updated, out var at)) outputs[at] = new DisplayOutput(Values(body));
                        break;
                    case "ReturnValueProduced":
                        outputs.Add(new DisplayOutput(Values(body)) { IsResult = true, ExecutionCount = executionCount });
                        break;
                    case "CommandFailed" when eventToken == token:
                        var message = (string?)body["message"] ?? "(no message)";
                        outputs.Add(new ErrorOutput("CommandFailed", message, message.Split('\n')));
                        return (outputs, message);
                    case "CommandSucceeded" when eventToken == token:
                        return (outputs, null);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (outputs, $"no answer from the kernel within {timeout.TotalSeconds:0} s");
        }
        catch (ChannelClosedException)
        {
            return (outputs, $"the kernel exited: {Errors().Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // The tool prints a welcome text before its first event: only JSON lines are events.
                if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject e) await events.Writer.WriteAsync(e);
            }
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }

    private ValueTask<JsonObject> NextEventAsync(CancellationToken cancellationToken) => events.Reader.ReadAsync(cancellationToken);

    private string Errors()
    {
        lock (errors) return errors.ToString();
    }

    private static Dictionary<string, string> Values(JsonNode body) =>
        body["formattedValues"]!.AsArray().GroupBy(v => (string)v!["mimeType"]!).ToDictionary(g => g.Key, g => (string?)g.Last()!["value"] ?? "");

    private static string Formatted(JsonNode body) => string.Concat(body["formattedValues"]!.AsArray().Select(v => (string?)v!["value"]));

    // Consecutive writes to one stream are one output, as in Jupyter and the kit's runner.
    private static void Stream(List<CellOutput> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name) outputs[^1] = last with { Text = last.Text + text };
        else outputs.Add(new StreamOutput(name, text));
    }
}
