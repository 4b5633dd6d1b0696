using System.CommandLine;
using System.Text.Json;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough embeddings "TOKEN"</c>: a token's vector, its length, and the tokens nearest to it.</summary>
public static class EmbeddingsCommand
{
    public static Command Create(Terminal terminal)
    {
        var token = new Argument<string>("token") { Description = "One token, as text (\" Monday\", with its space) or as the vocabulary spells it (\"▁Monday\")." };
        var nearest = new Option<int>("--nearest") { Description = "How many nearest tokens to list.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print JSON: the token, its vector's length and its nearest tokens by cosine." };
        var model = new ModelOptions();
        var command = new Command("embeddings", "A token's embedding: its first numbers, its length, and the tokens whose vectors point the same way.") { token, nearest, json };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            if (parse.GetValue(nearest) < 1) throw new WalkthroughException($"--nearest {parse.GetValue(nearest)}: ask for at least 1 token.");
            using var loaded = model.Load(parse, terminal);
            var found = loaded.Embeddings.Nearest(parse.GetValue(token) ?? "", parse.GetValue(nearest));
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    token = JsonShapes.Token(loaded.Tokenizer, found.Token.Id),
                    norm = Math.Round(found.Token.Norm, 4),
                    nearest = found.Nearest.Select(n => JsonShapes.Token(loaded.Tokenizer, n.Id).With("cosine", Math.Round(n.Cosine, 4))),
                }, Input.JsonOptions));
            }
            else
            {
                terminal.Out.WriteLine(found.Token.ToString());
                terminal.Out.WriteLine(found.ToString());
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
