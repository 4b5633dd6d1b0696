using System.Text;
using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>
/// The text drawn as coloured chips, one per token, the way tokenizer playgrounds show it; hover a chip for its id.
/// Tokens that share characters (the bytes of one emoji) share one chip; special tokens get a grey chip of their own.
/// </summary>
public sealed class TokenChips(TokenTable table)
{
    public TokenTable Table { get; } = table;

    public string ToHtml()
    {
        var html = new StringBuilder("<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:14px;line-height:2;white-space:pre-wrap\">");
        var tokens = Table.Tokens;
        var colours = TokenColours.For(Table);
        var shown = 0; // characters already drawn: spans may overlap where a normalizer added characters
        for (var i = 0; i < tokens.Count;)
        {
            var token = tokens[i];
            var j = i + 1;
            while (j < tokens.Count && TokenColours.SameChip(token, tokens[j])) j++;
            var group = tokens.Skip(i).Take(j - i).ToList();
            var title = string.Join(" ", group.Select(t => $"{t.Id} {t.Text}"));
            if (token.Start > shown) html.Append(Html.Encode(Table.Text[shown..token.Start]));
            var background = colours[i];
            var text = token.Kind == TokenKind.Special && token.Start == token.End
                ? token.Text
                : Table.Text[Math.Max(token.Start, shown)..Math.Max(token.End, shown)];
            shown = Math.Max(shown, token.End);
            html.Append($"<span title=\"{Html.Encode(title)}\" style=\"background:{background};border-radius:3px;padding:1px 1px;margin-right:1px\">{Html.Encode(text)}</span>");
            i = j;
        }
        if (shown < Table.Text.Length) html.Append(Html.Encode(Table.Text[shown..]));
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>The chips in a terminal: each token between brackets.</summary>
    public override string ToString() =>
        string.Concat(Table.Tokens.Select(t => t.Start == t.End ? $"[{t.Text}]" : $"[{Table.Text[t.Start..t.End]}]"));
}
