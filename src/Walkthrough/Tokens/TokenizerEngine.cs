namespace Walkthrough.Tokens;

/// <summary>
/// One way of turning text into ids: a Hugging Face tokenizer.json, a SentencePiece model, or a tiktoken encoding.
/// <see cref="Tokenizer"/> is the public face; engines only encode, decode and describe single tokens.
/// </summary>
internal abstract class TokenizerEngine
{
    public abstract int VocabularySize { get; }

    public abstract int? BosId { get; }

    public abstract int? EosId { get; }

    public abstract IReadOnlyList<EncodedPiece> Encode(string text, bool addSpecialTokens);

    public abstract string Decode(IEnumerable<int> ids, bool skipSpecialTokens);

    /// <summary>The raw bytes a token stands for, or null for a special token (it stands for no text).</summary>
    public abstract byte[]? BytesOf(int id);

    /// <summary>The vocabulary's own spelling of a token (<c>▁the</c>, <c>Ġthe</c>, <c>&lt;0x0A&gt;</c>, <c>&lt;s&gt;</c>).</summary>
    public abstract string PieceOf(int id);

    public abstract bool IsSpecial(int id);

    public abstract int? IdOf(string piece);
}
