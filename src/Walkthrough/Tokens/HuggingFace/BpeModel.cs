using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "model" of type BPE: start from single characters and apply the learned merges in
/// priority order. The merging itself is Microsoft.ML.Tokenizers' BpeTokenizer; this class adds what
/// Hugging Face's BPE does around it: byte fallback (an unknown character becomes its UTF-8 bytes,
/// &lt;0xE2&gt;&lt;0x82&gt;...), ignore_merges (a word already in the vocabulary is one token, as tiktoken does),
/// and cutting very long words where no merge can reach across the cut.
/// </summary>
internal sealed class BpeModel
{
    private const char SentencePieceSpace = '▁';

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly int? _unknownId;
    private readonly bool _byteFallback;
    private readonly bool _fuseUnknown;
    private readonly bool _ignoreMerges;
    private readonly int[] _byteIds = new int[256];
    private readonly bool _canCutBeforeSpace;

    /// <param name="addedTokens">How many added tokens there are: ids run below the vocabulary's entries plus those.</param>
    public BpeModel(JsonField model, int addedTokens)
    {
        var vocab = model["vocab"];
        if (vocab.IsMissing) throw vocab.Error("is missing, so there is no vocabulary");
        var entries = vocab.Members().ToList();
        IdBound = entries.Count + addedTokens;
        _vocabulary = new Dictionary<string, int>(entries.Count);
        var byId = new Dictionary<int, string>(entries.Count);
        var range = $"but ids run from 0 to {IdBound - 1:N0} (one per vocabulary entry and added token)";
        foreach (var (piece, value) in entries)
        {
            var id = value.Int(0, IdBound - 1, range);
            if (byId.TryGetValue(id, out var twin)) throw value.Error($"is {id}, the id of \"{twin}\" too: two pieces cannot share an id");
            byId[id] = piece;
            _vocabulary[piece] = id;
        }
        Pieces = new string[_vocabulary.Count == 0 ? 0 : _vocabulary.Values.Max() + 1];
        foreach (var (piece, id) in _vocabulary) Pieces[id] = piece;

        var unknown = model["unk_token"].OptionalString();
        _unknownId = unknown is not null && _vocabulary.TryGetValue(unknown, out var unkId) ? unkId : null;
        _byteFallback = model["byte_fallback"].StrictBool(false);
        _fuseUnknown = model["fuse_unk"].StrictBool(false);
        _ignoreMerges = model["ignore_merges"].StrictBool(false);
        if (!model["dropout"].IsMissing && model["dropout"].Double(double.NegativeInfinity, double.PositiveInfinity) != 0)
            throw model["dropout"].Error("asks for BPE dropout, which skips merges at random: tokenizing would differ run to run", "set \"dropout\": null, as released tokenizers have it");
        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (model[name].OptionalString() is { Length: > 0 } affix)
                throw TokenizerJsonError.Unsupported(model[name], "BPE option", affix, "BPE without subword prefixes or suffixes");
        }
        for (var b = 0; b < 256; b++) _byteIds[b] = _vocabulary.GetValueOrDefault($"<0x{b:X2}>", -1);

        var merges = Merges(model["merges"]);
        _bpe = BpeTokenizer.Create(new BpeOptions(_vocabulary)
        {
            Merges = merges,
            UnknownToken = _unknownId is null ? null : unknown,
            FuseUnknownTokens = false, // fused after byte fallback, as Hugging Face does
            PreTokenizer = WholeText.Instance,
        });

        // SentencePiece-style text is one long word; BPE's cost grows with its square. A cut just before a "▁"
        // that follows another character is safe when no vocabulary piece holds such a pair.
        _canCutBeforeSpace = !_vocabulary.Keys.Any(HasSpaceAfterOther);
    }

    /// <summary>Ids are below this: one per vocabulary entry and added token.</summary>
    public int IdBound { get; }

    /// <summary>Every piece by id (the vocabulary's spelling).</summary>
    public string[] Pieces { get; }

    public int? IdOf(string piece) => _vocabulary.TryGetValue(piece, out var id) ? id : null;

    /// <summary>Encodes one pre-tokenized word; spans are in the word's own characters.</summary>
    public void Encode(string word, List<(int Id, int Start, int End)> output)
    {
        if (word.Length == 0) return;
        if (_ignoreMerges && _vocabulary.TryGetValue(word, out var whole))
        {
            output.Add((whole, 0, word.Length));
            return;
        }
        foreach (var (from, length) in Chunks(word))
        {
            foreach (var token in _bpe.EncodeToTokens(word.Substring(from, length), out _))
            {
                var (start, end) = (from + token.Offset.Start.Value, from + token.Offset.End.Value);
                if (token.Id == _unknownId && _byteFallback && TryBytes(word[start..end], start, end, output)) continue;
                if (token.Id == _unknownId && _fuseUnknown && output.Count > 0 && output[^1].Id == _unknownId && output[^1].End == start)
                {
                    output[^1] = (token.Id, output[^1].Start, end);
                    continue;
                }
                output.Add((token.Id, start, end));
            }
        }
    }

    private bool TryBytes(string text, int start, int end, List<(int Id, int Start, int End)> output)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Any(b => _byteIds[b] < 0)) return false;
        foreach (var b in bytes) output.Add((_byteIds[b], start, end));
        return true;
    }

    private IEnumerable<(int From, int Length)> Chunks(string word)
    {
        if (!_canCutBeforeSpace)
        {
            yield return (0, word.Length);
            yield break;
        }
        var from = 0;
        for (var i = 1; i < word.Length; i++)
        {
            if (word[i] == SentencePieceSpace && word[i - 1] != SentencePieceSpace)
            {
                yield return (from, i - from);
                from = i;
            }
        }
        yield return (from, word.Length - from);
    }

    private static bool HasSpaceAfterOther(string piece)
    {
        for (var i = 1; i < piece.Length; i++)
        {
            if (piece[i] == SentencePieceSpace && piece[i - 1] != SentencePieceSpace) return true;
        }
        return false;
    }

    // Merges are "a b" strings or, in newer files, ["a", "b"] pairs; Microsoft.ML.Tokenizers reads "a b". Each joins two
    // pieces of the vocabulary into a third, once: as the tokenizers library requires (a repeated pair would take
    // the later rank there).
    private List<string> Merges(JsonField field)
    {
        var merges = new List<string>();
        if (!field.Exists) throw field.Error("is missing; a BPE model lists its merges, [] when there are none");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);  // "a b" → rank
        foreach (var merge in field.Items())
        {
            var (first, second) = Pair(merge);
            var joined = first + second;
            var missing = !_vocabulary.ContainsKey(first) ? first : !_vocabulary.ContainsKey(second) ? second : !_vocabulary.ContainsKey(joined) ? joined : null;
            if (missing is not null) throw merge.Error($"joins \"{first}\" and \"{second}\", but the vocabulary has no \"{missing}\"");
            var text = merge.Kind == JsonValueKind.String ? merge.String() : first + " " + second;
            if (!seen.TryAdd(text, merges.Count))
                throw merge.Error($"repeats the merge at rank {seen[text]}: each pair is merged once, at one rank");
            merges.Add(text);
        }
        return merges;
    }

    private static (string First, string Second) Pair(JsonField merge)
    {
        if (merge.Kind == JsonValueKind.Array)
        {
            var parts = merge.Items().Select(part => part.String()).ToArray();
            if (parts is [{ Length: > 0 } a, { Length: > 0 } b] && !a.Contains(' ') && !b.Contains(' ')) return (a, b);
        }
        else
        {
            var text = merge.String();
            var space = text.IndexOf(' ');
            if (space > 0 && space < text.Length - 1 && text.IndexOf(' ', space + 1) < 0) return (text[..space], text[(space + 1)..]);
        }
        throw merge.Error("is not a pair of pieces (\"a b\", or [\"a\", \"b\"] with no spaces in them)");
    }

    /// <summary>Hands BPE the whole word: pre-tokenization has already happened.</summary>
    private sealed class WholeText : PreTokenizer
    {
        public static readonly WholeText Instance = new();

        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
            text.Length == 0 ? [] : [(0, text.Length)];

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
            text.Length == 0 ? [] : [(0, text.Length)];
    }
}
