using System.Text;
using Microsoft.ML.Tokenizers;

namespace Walkthrough.Tokens;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (the protobuf that Llama 2 and Mistral were released with), encoded by
/// Microsoft.ML.Tokenizers' own SentencePiece implementation. Control tokens typed in the text (&lt;s&gt;) are cut
/// out first and each stretch between them gets its own leading "▁", as transformers' LlamaTokenizer does.
/// </summary>
internal sealed class SentencePieceModel : TokenizerEngine
{
    private readonly SentencePieceTokenizer _sentencePiece;
    private readonly Dictionary<int, string> _pieces;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int> _control;
    private readonly bool _addBos;
    private readonly bool _addEos;

    public SentencePieceModel(string file, TokenizerConfig config)
    {
        // Read first, so that a file that cannot be read is an IO error and anything the parser throws is about the bytes.
        var bytes = File.ReadAllBytes(file);
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            _sentencePiece = SentencePieceTokenizer.Create(stream, false, false); // BOS and EOS are added here, as the config says
        }
        catch (Exception e) when (e is not WalkthroughException)
        {
            throw new WalkthroughException(
                $"{file}: not a SentencePiece model that Walkthrough can read ({e.Message.Split('\n')[0].Trim()}): the file is damaged or is something else — " +
                "download tokenizer.model again (supported: BPE and Unigram models).", e);
        }
        _ids = _sentencePiece.Vocabulary.ToDictionary(p => p.Key, p => p.Value);
        if (_ids.Count == 0)
            throw new WalkthroughException($"{file}: the SentencePiece model has no pieces at all: the file is damaged — download tokenizer.model again.");
        _pieces = _ids.ToDictionary(p => p.Value, p => p.Key);
        _control = new[] { _sentencePiece.BeginningOfSentenceToken, _sentencePiece.EndOfSentenceToken, _sentencePiece.UnknownToken }
            .Where(t => t is not null && _ids.ContainsKey(t))
            .Distinct()
            .ToDictionary(t => t!, t => _ids[t!]);
        _addBos = config.AddBosToken ?? true;
        _addEos = config.AddEosToken ?? false;
    }

    public override int VocabularySize => _pieces.Keys.Max() + 1;

    public override int? BosId => _sentencePiece.BeginningOfSentenceId;

    public override int? EosId => _sentencePiece.EndOfSentenceId;

    public override IReadOnlyList<EncodedPiece> Encode(string text, bool addSpecialTokens)
    {
        var result = new List<EncodedPiece>();
        if (addSpecialTokens && _addBos) result.Add(new EncodedPiece(_sentencePiece.BeginningOfSentenceId, 0, 0));
        foreach (var (start, length, control) in SplitControl(text))
        {
            if (control is { } id)
            {
                result.Add(new EncodedPiece(id, start, start + length));
                continue;
            }
            var tokens = _sentencePiece.EncodeToTokens(text.Substring(start, length), out _, addBeginningOfSentence: false, addEndOfSentence: false);
            // Offsets count the leading "▁" SentencePiece adds; it stands for no character of the text.
            var shift = _sentencePiece.AddDummyPrefix ? 1 : 0;
            foreach (var token in tokens)
            {
                var from = Math.Clamp(token.Offset.Start.Value - shift, 0, length);
                var to = Math.Clamp(token.Offset.End.Value - shift, from, length);
                result.Add(new EncodedPiece(token.Id, start + from, start + to));
            }
        }
        if (addSpecialTokens && _addEos) result.Add(new EncodedPiece(_sentencePiece.EndOfSentenceId, text.Length, text.Length));
        return result;
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var builder = new StringBuilder();
        var stretch = new List<int>();
        foreach (var id in ids)
        {
            if (!_pieces.ContainsKey(id)) throw new WalkthroughException($"Token id {id} is not in the SentencePiece vocabulary.");
            if (!IsSpecial(id))
            {
                stretch.Add(id);
                continue;
            }
            Flush();
            if (!skipSpecialTokens) builder.Append(_pieces[id]);
        }
        Flush();
        return builder.ToString();

        void Flush()
        {
            if (stretch.Count == 0) return;
            builder.Append(_sentencePiece.Decode(stretch, considerSpecialTokens: false));
            stretch.Clear();
        }
    }

    public override byte[]? BytesOf(int id)
    {
        if (IsSpecial(id)) return null;
        var piece = _pieces[id];
        if (HuggingFace.Decoding.TryParseByte(piece, out var b)) return [b];
        return Encoding.UTF8.GetBytes(piece.Replace('▁', ' '));
    }

    public override string PieceOf(int id) => _pieces[id];

    public override bool IsSpecial(int id) => _control.ContainsValue(id);

    public override int? IdOf(string piece) => _ids.TryGetValue(piece, out var id) ? id : null;

    private IEnumerable<(int Start, int Length, int? Control)> SplitControl(string text)
    {
        var plain = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = _control.Keys.Where(c => string.CompareOrdinal(text, i, c, 0, c.Length) == 0).MaxBy(c => c.Length);
            if (match is null)
            {
                i++;
                continue;
            }
            if (i > plain) yield return (plain, i - plain, null);
            yield return (i, match.Length, _control[match]);
            plain = i += match.Length;
        }
        if (plain < text.Length) yield return (plain, text.Length - plain, null);
    }
}
