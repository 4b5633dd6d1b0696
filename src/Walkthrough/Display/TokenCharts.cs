using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>Plotly.NET charts of token tables.</summary>
public static class TokenCharts
{
    /// <summary>One bar per token: how many characters of the text it covers (special tokens cover none).</summary>
    public static Figure CharactersPerToken(TokenTable table)
    {
        var bar = Plot.Trace("bar",
            ("x", table.Select(t => $"{t.Index}: {t.Text}").ToArray()),
            ("y", table.Select(t => t.End - t.Start).ToArray()),
            ("marker", new Dictionary<string, object> { ["color"] = table.Select(t => t.Kind == TokenKind.Special ? Html.SpecialColour : Html.Colour(t.Index)).ToArray() }),
            ("hovertext", table.Select(t => $"id {t.Id}").ToArray()));
        return new Figure(Plot.Chart([bar], $"{table.TokenizerName}: {table.Count} tokens for {table.Text.Length} characters", "token", "characters"));
    }

    /// <summary>Tokens needed for the same text by each tokenizer.</summary>
    public static Figure TokenCounts(IReadOnlyList<TokenTable> tables)
    {
        var bar = Plot.Trace("bar",
            ("x", tables.Select(t => t.TokenizerName).ToArray()),
            ("y", tables.Select(t => t.Count).ToArray()),
            ("text", tables.Select(t => $"{t.CharactersPerToken:0.00} chars/token").ToArray()));
        return new Figure(Plot.Chart([bar], "Tokens for the same text", "tokenizer", "tokens"));
    }
}
