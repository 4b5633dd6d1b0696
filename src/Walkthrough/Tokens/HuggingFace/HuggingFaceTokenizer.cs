using System.Text;
using System.Text.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c>, run as the tokenizers library runs it: added tokens are cut out first,
/// then each stretch of text is normalized, pre-tokenized into words, and each word is BPE-encoded; finally
/// the post-processor adds special tokens such as &lt;s&gt;.
/// </summary>
internal sealed class HuggingFaceTokenizer : TokenizerEngine
{
    private readonly AddedTokens _added;
    private readonly Func<AlignedText, AlignedText> _normalize;
    private readonly PreTokenization _preTokenize;
    private readonly BpeModel _model;
    private readonly PostProcessing _post;
    private readonly Func<List<string>, List<string>> _decode;
    private readonly string[] _pieces;
    private readonly HashSet<int> _special;
    private readonly Dictionary<int, string> _addedContent;

    public HuggingFaceTokenizer(string file, TokenizerConfig config)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(file);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw TokenizerJsonError.Malformed(file, $"it is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            try
            {
                var model = root.GetProperty("model");
                var type = model.TryGetProperty("type", out var t) ? t.GetString() : "BPE";
                if (type != "BPE") throw TokenizerJsonError.Unsupported(file, "model", type ?? "", "BPE");
                _model = new BpeModel(model, file);
                _added = new AddedTokens(root.GetProperty("added_tokens"));
                _normalize = Normalization.From(Property(root, "normalizer"), file);
                _preTokenize = PreTokenization.From(Property(root, "pre_tokenizer"), file);
                _decode = Decoding.From(Property(root, "decoder"), file);
                _post = PostProcessing.From(Property(root, "post_processor"), file);
            }
            catch (KeyNotFoundException e)
            {
                throw TokenizerJsonError.Malformed(file, $"a required entry is missing ({e.Message})");
            }
            catch (InvalidOperationException e)
            {
                throw TokenizerJsonError.Malformed(file, $"an entry has the wrong type ({e.Message})");
            }
        }

        _addedContent = _added.All.ToDictionary(a => a.Id, a => a.Content);
        _special = _added.All.Where(a => a.Special).Select(a => a.Id).ToHashSet();
        _pieces = new string[Math.Max(_model.Pieces.Length, _addedContent.Count == 0 ? 0 : _addedContent.Keys.Max() + 1)];
        for (var id = 0; id < _pieces.Length; id++)
            _pieces[id] = _addedContent.TryGetValue(id, out var content) ? content : id < _model.Pieces.Length ? _model.Pieces[id] ?? "" : "";

        BosId = config.BosToken is { } bos ? IdOf(bos) : null;
        EosId = config.EosToken is { } eos ? IdOf(eos) : null;
        _post = config.Override(_post, BosId, EosId);
    }

    public override int VocabularySize => _pieces.Length;

    public override int? BosId { get; }

    public override int? EosId { get; }

    public bool IsByteLevel => _preTokenize.IsByteLevel;

    public override IReadOnlyList<EncodedPiece> Encode(string text, bool addSpecialTokens)
    {
        var result = new List<EncodedPiece>();
        if (addSpecialTokens) result.AddRange(_post.Prefix.Select(id => new EncodedPiece(id, 0, 0)));
        var word = new List<(int Id, int Start, int End)>();
        foreach (var segment in _added.Split(text))
        {
            if (segment.Token is { } added)
            {
                result.Add(new EncodedPiece(added.Id, segment.Start, segment.Start + segment.Length));
                continue;
            }
            var normalized = _normalize(AlignedText.Original(text, segment.Start, segment.Length));
            foreach (var piece in _preTokenize.Split(normalized, atStart: segment.Start == 0))
            {
                word.Clear();
                _model.Encode(piece.Text, word);
                foreach (var (id, start, end) in word)
                {
                    var (from, to) = piece.OriginalSpan(start, end);
                    result.Add(new EncodedPiece(id, from, to));
                }
            }
        }
        if (addSpecialTokens) result.AddRange(_post.Suffix.Select(id => new EncodedPiece(id, text.Length, text.Length)));
        return result;
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        // As the tokenizers library does: every piece, added tokens included, goes through the decoder chain
        // together, so "Strip the leading space" applies once, to the start of the whole text.
        var pieces = new List<string>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= _pieces.Length) throw new WalkthroughException($"Token id {id} is outside the vocabulary (0..{_pieces.Length - 1}).");
            if (skipSpecialTokens && _special.Contains(id)) continue;
            pieces.Add(_pieces[id]);
        }
        return string.Concat(_decode(pieces));
    }

    public override byte[]? BytesOf(int id)
    {
        if (_special.Contains(id)) return null;
        var piece = _pieces[id];
        if (_addedContent.ContainsKey(id)) return Encoding.UTF8.GetBytes(piece);
        if (IsByteLevel) return ByteLevelAlphabet.Decode(piece) ?? Encoding.UTF8.GetBytes(piece);
        if (Decoding.TryParseByte(piece, out var b)) return [b];
        return Encoding.UTF8.GetBytes(piece.Replace('▁', ' '));
    }

    public override string PieceOf(int id) => _pieces[id];

    public override bool IsSpecial(int id) => _special.Contains(id);

    public override int? IdOf(string piece) =>
        _added.All.FirstOrDefault(a => a.Content == piece)?.Id ?? _model.IdOf(piece);

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : default;
}
