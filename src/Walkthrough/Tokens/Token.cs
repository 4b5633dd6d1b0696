namespace Walkthrough.Tokens;

/// <summary>What a token is, for a learner: ordinary text, a raw byte, or a control marker such as &lt;s&gt;.</summary>
public enum TokenKind
{
    Text,
    Byte,
    Special,
}

/// <summary>
/// One token of a text: its position, its id in the vocabulary, how it reads, and the characters of the
/// original text it came from (<c>Start</c> inclusive, <c>End</c> exclusive, in UTF-16 code units, as C# strings count).
/// </summary>
/// <param name="Text">The token as the model's vocabulary spells it: ▁ marks a space, bytes read &lt;0xF0&gt;.</param>
public sealed record Token(int Index, int Id, string Text, int Start, int End, TokenKind Kind);
