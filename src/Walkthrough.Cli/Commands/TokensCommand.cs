using System.CommandLine;
using Spectre.Console;
using Walkthrough.Tokens;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough tokens "TEXT"</c>: the token table of lesson 1.</summary>
public static class TokensCommand
{
    public static Command Create(Terminal terminal)
    {
        var text = new Argument<string>("text") { Description = "The text to tokenize; '-' reads it from standard input." };
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "A model folder (tokenizer.json or tokenizer.model), a model id on the hub (org/name), or o200k_base / cl100k_base. " +
                "Default: data/tokenizers/mistral-7b.",
        };
        var noSpecial = new Option<bool>("--no-special") { Description = "Do not add special tokens such as <s>." };
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): each token's id, piece (as the vocabulary spells it), text (the characters it covers), kind and span." };
        var command = new Command("tokens", "Show how a tokenizer cuts a text into tokens.") { text, tokenizer, noSpecial, json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var input = Input.Read(parse.GetValue(text), terminal);
            var loaded = parse.GetValue(tokenizer) is { } source ? Tokenizer.Load(source) : Tokenizer.Default();
            var table = loaded.Tokenize(input, addSpecialTokens: !parse.GetValue(noSpecial));
            if (parse.GetValue(json)) WriteJson(terminal, loaded, table);
            else WriteTable(terminal, table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void WriteJson(Terminal terminal, Tokenizer tokenizer, TokenTable table) => Input.WriteJson(terminal, new
    {
        tokenizer = table.TokenizerName,
        text = table.Text,
        characters = table.Characters,
        utf16_length = table.Text.Length,
        tokens = table.Select(t => new
        {
            index = t.Index,
            id = t.Id,
            piece = tokenizer.PieceOf(t.Id),
            text = table.Text[t.Start..t.End],
            kind = t.Kind,
            start = t.Start,
            end = t.End,
        }),
    });

    private static void WriteTable(Terminal terminal, TokenTable table)
    {
        var console = terminal.Ansi();
        console.MarkupLine($"[bold]{Markup.Escape(table.TokenizerName)}[/]: {Markup.Escape(table.Summary)}");
        var grid = new Table().Border(TableBorder.Rounded).AddColumns("index", "id", "token", "text");
        foreach (var token in table)
        {
            var shown = token.Kind switch
            {
                TokenKind.Special => $"[grey]{Markup.Escape(token.Text)}[/]",
                TokenKind.Byte => $"[yellow]{Markup.Escape(token.Text)}[/]",
                _ => Markup.Escape(token.Text),
            };
            grid.AddRow(token.Index.ToString(), token.Id.ToString(), shown, Markup.Escape(Visible(table.Text[token.Start..token.End])));
        }
        console.Write(grid);
        console.MarkupLine(Markup.Escape(table.Chips().ToString()));
    }

    private static string Visible(string text) => text.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}
