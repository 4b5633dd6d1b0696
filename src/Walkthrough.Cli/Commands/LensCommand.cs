using System.CommandLine;
using System.Text.Json;
using Walkthrough.Inside;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough lens "PROMPT"</c>: what the model would predict after each layer (the logit lens).</summary>
public static class LensCommand
{
    public static Command Create(Terminal terminal)
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to read; '-' reads standard input." };
        var top = new Option<int>("--top") { Description = "Tokens per cell (JSON); the table shows the first.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON: the tokens, then per layer (0 = embeddings) per position the top tokens." };
        var model = new ModelOptions();
        var command = new Command("lens", "The logit lens: the next token each layer would predict, at every position of the prompt.") { prompt, top, json };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var text = Input.Read(parse.GetValue(prompt), terminal);
            if (parse.GetValue(top) < 1) throw new WalkthroughException($"--top {parse.GetValue(top)}: ask for at least 1 token per cell.");
            using var loaded = model.Load(parse, terminal);
            using var trace = loaded.Trace(text, new TraceOptions { AttentionLayers = [] });
            var lens = trace.Lens(parse.GetValue(top));
            terminal.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(Json(loaded.Tokenizer, lens), Input.JsonOptions) : lens.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static object Json(Tokens.Tokenizer tokenizer, LogitLens lens) => new
    {
        tokens = lens.Tokens.Select(t => JsonShapes.Token(tokenizer, t.Id)),
        layers = lens.Layers.Select(l => new
        {
            layer = l.Layer,
            positions = l.Positions.Select(p => new { top = p.Top.Select(c => JsonShapes.Token(tokenizer, c.Id).With("probability", JsonShapes.Probability(c.Probability))) }),
        }),
    };
}
