using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>Charts of token tables.</summary>
public static class TokenCharts
{
    /// <summary>One bar per token, in the token's chip colour: how many characters of the text it covers (special tokens cover none).</summary>
    public static Figure CharactersPerToken(TokenTable table)
    {
        var bars = table.Select(t => new Datum(t.End - t.Start)
        {
            Colour = t.Kind == TokenKind.Special ? Html.SpecialColour : Html.Colour(t.Index),
            Tooltip = $"{t.Index}: '{t.Text}', id {t.Id}, {t.End - t.Start} characters",
        }).ToList();
        return Figure.Bars($"{table.TokenizerName}: {table.Count} tokens for {table.Text.Length} characters",
            table.Select(t => $"{t.Index}: {t.Text}").ToList(), bars, "token", "characters");
    }

    /// <summary>Tokens needed for the same text by each tokenizer, labelled with characters per token.</summary>
    public static Figure TokenCounts(IReadOnlyList<TokenTable> tables)
    {
        var bars = tables.Select((t, i) => new Datum(t.Count)
        {
            Text = $"{t.Count} ({t.CharactersPerToken:0.00} chars/token)",
            Colour = Figure.Palette[i % Figure.Palette.Count],
        }).ToList();
        return Figure.Bars("Tokens for the same text", tables.Select(t => t.TokenizerName).ToList(), bars, "tokenizer", "tokens");
    }
}
