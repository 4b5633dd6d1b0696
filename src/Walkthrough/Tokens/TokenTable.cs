using System.Collections;
using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Walkthrough.Tokens;

/// <summary>
/// A text and the tokens it became — the table of the first lesson. In a notebook it shows itself as an HTML
/// table; <see cref="Chips"/> colours the text token by token; <see cref="ToDataFrame"/> gives a DataFrame.
/// </summary>
public sealed class TokenTable : IReadOnlyList<Token>
{
    public TokenTable(string text, string tokenizerName, IReadOnlyList<Token> tokens)
    {
        Text = text;
        TokenizerName = tokenizerName;
        Tokens = tokens;
    }

    public string Text { get; }

    public string TokenizerName { get; }

    public IReadOnlyList<Token> Tokens { get; }

    public int Count => Tokens.Count;

    public Token this[int index] => Tokens[index];

    public IReadOnlyList<int> Ids => Tokens.Select(t => t.Id).ToList();

    /// <summary>
    /// Characters as a reader counts them — text elements: "🤗" is one, though C# strings hold it as two UTF-16 units
    /// (<c>Text.Length</c> counts those, and token spans are in those).
    /// </summary>
    public int Characters => new StringInfo(Text).LengthInTextElements;

    /// <summary>Characters of text per token (special tokens cover none): how much a tokenizer packs into one id.</summary>
    public double CharactersPerToken => Count == 0 ? 0 : (double)Characters / Count;

    /// <summary>"13 tokens for 49 characters", saying how characters were counted where C# would count differently.</summary>
    public string Summary => Characters == Text.Length
        ? $"{Count} tokens for {Characters} characters"
        : $"{Count} tokens for {Characters} characters (as a reader counts them; C#'s Length counts {Text.Length} UTF-16 units)";

    public DataFrame ToDataFrame() => new(
        new Int32DataFrameColumn("Index", Tokens.Select(t => t.Index)),
        new Int32DataFrameColumn("Id", Tokens.Select(t => t.Id)),
        new StringDataFrameColumn("Token", Tokens.Select(t => t.Text)),
        new StringDataFrameColumn("Kind", Tokens.Select(t => t.Kind.ToString())),
        new Int32DataFrameColumn("Start", Tokens.Select(t => t.Start)),
        new Int32DataFrameColumn("End", Tokens.Select(t => t.End)));

    /// <summary>The text with each token's characters on a coloured chip, as tokenizer playgrounds show it.</summary>
    public Display.TokenChips Chips() => new(this);

    /// <summary>A bar per token: how many characters of the text it covers.</summary>
    public Display.Figure Chart() => Display.TokenCharts.CharactersPerToken(this);

    /// <summary>A plain-text table, for terminals and logs.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.AppendLine($"{TokenizerName}: {Summary}");
        builder.AppendLine($"{"index",5}  {"id",7}  {"token",-20}  span");
        foreach (var token in Tokens)
            builder.AppendLine($"{token.Index,5}  {token.Id,7}  {token.Text,-20}  {token.Start}..{token.End}{(token.Kind == TokenKind.Text ? "" : $"  ({token.Kind.ToString().ToLowerInvariant()})")}");
        return builder.ToString();
    }

    public IEnumerator<Token> GetEnumerator() => Tokens.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
