using System.CommandLine;
using System.Text.Json;
using Walkthrough.Inside;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough attention "PROMPT" --layer L [--head H]</c>: where each head of a layer looks.</summary>
public static class AttentionCommand
{
    public static Command Create(Terminal terminal)
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to read; '-' reads standard input." };
        var layer = new Option<int>("--layer") { Description = "The layer (0-based).", Required = true };
        var head = new Option<int?>("--head") { Description = "One head (0-based); default: every head of the layer." };
        var json = new Option<bool>("--json") { Description = "Print JSON: the tokens, the layer and per head a query × key matrix of probabilities." };
        var model = new ModelOptions();
        var command = new Command("attention", "Attention of one layer: for each token, how much it takes from each earlier token, head by head.") { prompt, layer, head, json };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var text = Input.Read(parse.GetValue(prompt), terminal);
            using var loaded = model.Load(parse, terminal);
            var (l, h) = (parse.GetValue(layer), parse.GetValue(head));
            using var trace = loaded.Trace(text, new TraceOptions { AttentionLayers = [l], AttentionHeads = h is { } one ? [one] : null });
            var attention = trace.Attention(l);
            if (parse.GetValue(json)) terminal.Out.WriteLine(JsonSerializer.Serialize(Json(loaded.Tokenizer, attention), Input.JsonOptions));
            else terminal.Out.WriteLine(h is null ? attention.ToString() : attention.Heads[0].ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static object Json(Tokens.Tokenizer tokenizer, AttentionLayer attention) => new
    {
        tokens = attention.Heads[0].Tokens.Select(t => JsonShapes.Token(tokenizer, t.Id)),
        layer = attention.Layer,
        head_numbers = attention.Heads.Select(m => m.Head),
        heads = attention.Heads.Select(m => m.Weights.Select(row => row.Select(p => JsonShapes.Probability(p)))),
    };
}
