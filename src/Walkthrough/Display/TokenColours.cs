using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>
/// One colour per token, shared by the token table and the chips so a token looks the same in both: specials grey,
/// and the tokens of one character (the four bytes of an emoji) the colour of the one chip they share.
/// </summary>
internal static class TokenColours
{
    public static IReadOnlyList<string> For(TokenTable table)
    {
        var colours = new string[table.Count];
        var next = 0;
        for (var i = 0; i < table.Count; i++)
        {
            var token = table[i];
            if (token.Kind == TokenKind.Special && token.Start == token.End) colours[i] = Html.SpecialColour;
            else if (i > 0 && SameChip(table[i - 1], token)) colours[i] = colours[i - 1];
            else colours[i] = Html.Colour(next++);
        }
        return colours;
    }

    /// <summary>Whether two neighbouring tokens cover the same characters, and so are drawn as one chip.</summary>
    public static bool SameChip(Token a, Token b) => a.Start == b.Start && a.End == b.End && a.End > a.Start;
}
