using System.Text;
using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c>, run as the tokenizers library runs it: added tokens are cut out first,
/// then each stretch of text is normalized, pre-tokenized into words, and each word is BPE-encoded; finally
/// the post-processor adds special tokens such as &lt;s&gt;. Every part is checked as it is read, and an error names
/// the key by its path (<c>added_tokens[1].id</c>).
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
        using var document = StrictJson.Read(file, TokenizerJsonError.Fix, maxDepth: 256);
        var root = new JsonField(file, document.RootElement, TokenizerJsonError.Fix).Object();
        var model = root["model"];
        if (model.IsMissing) throw model.Error("is missing, so there is no vocabulary — is this a Hugging Face tokenizer.json?");
        var type = model.Object()["type"].OptionalString() ?? "BPE";
        if (type != "BPE") throw TokenizerJsonError.Unsupported(model["type"], "model", type, "BPE");
        var addedTokens = root["added_tokens"];
        if (!addedTokens.Exists) throw addedTokens.Error("is missing; a tokenizer.json lists its added tokens, [] when there are none");
        _model = new BpeModel(model, addedTokens.Items().Count());
        _added = new AddedTokens(addedTokens, _model);
        _normalize = Normalization.From(root["normalizer"]);
        _preTokenize = PreTokenization.From(root["pre_tokenizer"]);
        _decode = Decoding.From(root["decoder"]);

        _addedContent = _added.All.ToDictionary(a => a.Id, a => a.Content);
        _special = _added.All.Where(a => a.Special).Select(a => a.Id).ToHashSet();
        _pieces = new string[Math.Max(_model.Pieces.Length, _addedContent.Count == 0 ? 0 : _addedContent.Keys.Max() + 1)];
        for (var id = 0; id < _pieces.Length; id++)
            _pieces[id] = _addedContent.TryGetValue(id, out var content) ? content : id < _model.Pieces.Length ? _model.Pieces[id] ?? "" : "";
        _post = PostProcessing.From(root["post_processor"], _pieces.Length);

        BosId = config.SpecialId("bos_token", config.BosToken, IdOf);
        EosId = config.SpecialId("eos_token", config.EosToken, IdOf);
        config.SpecialId("unk_token", config.UnknownToken, IdOf);  // unused here, but transformers would add a token the vocabulary lacks
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
}
