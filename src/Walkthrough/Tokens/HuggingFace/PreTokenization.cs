using System.Text.RegularExpressions;
using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "pre_tokenizer": cuts normalized text into words that BPE then works on one by one —
/// GPT-2 and Llama 3 cut with a regular expression, SentencePiece-style models (Mistral) do not cut at all.
/// </summary>
internal sealed class PreTokenization
{
    private const string Supported = "Sequence, Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit";

    // How a Split keeps its matches (the tokenizers library's SplitDelimiterBehavior); Contiguous is not done here.
    private static readonly string[] Behaviors = ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext"];

    // GPT-2's split: contractions, letters, numbers, other symbols, each with at most one leading space.
    private static readonly Regex Gpt2Split = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly Func<List<AlignedText>, bool, List<AlignedText>> _apply;

    private PreTokenization(Func<List<AlignedText>, bool, List<AlignedText>> apply, bool isByteLevel)
    {
        _apply = apply;
        IsByteLevel = isByteLevel;
    }

    /// <summary>Whether words come out in GPT-2's byte alphabet (so tokens are bytes, not characters).</summary>
    public bool IsByteLevel { get; }

    /// <param name="atStart">Whether the text opens the input (Metaspace's "first" scheme adds ▁ only there).</param>
    public List<AlignedText> Split(AlignedText text, bool atStart) =>
        text.Length == 0 ? [] : _apply([text], atStart);

    public static PreTokenization From(JsonField json)
    {
        if (json.IsMissing) return new PreTokenization((pieces, _) => pieces, false);
        var type = json.Object()["type"].String();
        switch (type)
        {
            case "Sequence":
                var steps = json["pretokenizers"].Items().Select(From).ToList();
                return new PreTokenization(
                    (pieces, atStart) => steps.Aggregate(pieces, (current, step) => step._apply(current, atStart)),
                    steps.Any(s => s.IsByteLevel));
            case "Split":
                if (json["invert"].StrictBool(false))
                    throw TokenizerJsonError.Unsupported(json["invert"], "pre_tokenizer", "Split with invert", Supported);
                var pattern = Patterns.From(json["pattern"]);
                var behavior = json["behavior"].String();
                if (!Behaviors.Contains(behavior))
                    throw TokenizerJsonError.Unsupported(json["behavior"], "Split behavior", behavior, string.Join(", ", Behaviors));
                return new PreTokenization((pieces, _) => SplitAll(pieces, pattern, behavior), false);
            case "ByteLevel":
                var addPrefixSpace = json["add_prefix_space"].StrictBool(false);
                var useRegex = json["use_regex"].StrictBool(true);
                json["trim_offsets"].StrictBool(false);  // read for its type only: offsets here are always the original text's
                return new PreTokenization((pieces, _) => ByteLevel(pieces, addPrefixSpace, useRegex), true);
            case "Metaspace":
                return Metaspace(json);
            case "Digits":
                var individual = json["individual_digits"].StrictBool(false);
                var digits = new Regex(individual ? "[0-9]" : "[0-9]+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, digits, "Isolated"), false);
            case "Whitespace":
                var words = new Regex(@"\w+|[^\w\s]+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, words, "Keep"), false);
            case "WhitespaceSplit":
                var nonSpace = new Regex(@"\S+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, nonSpace, "Keep"), false);
            default:
                throw TokenizerJsonError.Unsupported(json["type"], "pre_tokenizer", type, Supported);
        }
    }

    /// <summary>Metaspace's replacement (one character, ▁ by default): the pre-tokenizer's and the decoder's.</summary>
    public static string Replacement(JsonField field)
    {
        var replacement = field.OptionalString() ?? "▁";
        if (replacement.EnumerateRunes().Count() != 1) throw field.Error($"is \"{replacement}\"; it must be one character, such as \"▁\"");
        return replacement;
    }

    /// <summary>Metaspace's prepend_scheme: always, never or first.</summary>
    public static string? PrependScheme(JsonField field)
    {
        var scheme = field.OptionalString();
        if (scheme is not (null or "always" or "never" or "first")) throw field.Error($"is \"{scheme}\"; it must be always, never or first");
        return scheme;
    }

    private static PreTokenization Metaspace(JsonField json)
    {
        var replacement = Replacement(json["replacement"]);
        var scheme = PrependScheme(json["prepend_scheme"]) ?? (json["add_prefix_space"].StrictBool(true) ? "always" : "never");
        var split = json["split"].StrictBool(true);
        var marker = new Regex(Regex.Escape(replacement), RegexOptions.CultureInvariant);
        var spaces = new Regex(" ", RegexOptions.CultureInvariant);
        return new PreTokenization((pieces, atStart) =>
        {
            var result = new List<AlignedText>();
            foreach (var piece in pieces)
            {
                var text = piece.Replace(spaces.Matches(piece.Text).Select(m => (m.Index, m.Length)), _ => replacement);
                var prepend = scheme == "always" || (scheme == "first" && atStart && ReferenceEquals(piece, pieces[0]));
                if (prepend && !text.Text.StartsWith(replacement, StringComparison.Ordinal)) text = text.Prepend(replacement);
                if (split) result.AddRange(SplitOne(text, marker, "MergedWithNext"));
                else result.Add(text);
            }
            return result;
        }, false);
    }

    private static List<AlignedText> ByteLevel(List<AlignedText> pieces, bool addPrefixSpace, bool useRegex)
    {
        if (addPrefixSpace) pieces = pieces.Select(p => p.Text.StartsWith(' ') ? p : p.Prepend(" ")).ToList();
        if (useRegex) pieces = SplitAll(pieces, Gpt2Split, "Isolated");
        return pieces.Select(ByteLevelAlphabet.Map).ToList();
    }

    private static List<AlignedText> SplitAll(List<AlignedText> pieces, Regex pattern, string behavior)
    {
        var result = new List<AlignedText>();
        foreach (var piece in pieces) result.AddRange(SplitOne(piece, pattern, behavior));
        return result;
    }

    /// <summary>Splits on a pattern's matches; the behaviour says where each match goes (HF's SplitDelimiterBehavior).</summary>
    private static IEnumerable<AlignedText> SplitOne(AlignedText text, Regex pattern, string behavior)
    {
        // Cut the text into (start, length, isMatch) parts, then group them as the behaviour says.
        var parts = new List<(int Start, int Length, bool IsMatch)>();
        var next = 0;
        foreach (Match m in pattern.Matches(text.Text))
        {
            if (m.Length == 0) continue;
            if (m.Index > next) parts.Add((next, m.Index - next, false));
            parts.Add((m.Index, m.Length, true));
            next = m.Index + m.Length;
        }
        if (next < text.Length) parts.Add((next, text.Length - next, false));

        var groups = new List<(int Start, int Length)>();
        switch (behavior)
        {
            case "Isolated":
                groups.AddRange(parts.Select(p => (p.Start, p.Length)));
                break;
            case "Removed":
                groups.AddRange(parts.Where(p => !p.IsMatch).Select(p => (p.Start, p.Length)));
                break;
            case "Keep": // Only the matches: what Whitespace and WhitespaceSplit keep.
                groups.AddRange(parts.Where(p => p.IsMatch).Select(p => (p.Start, p.Length)));
                break;
            case "MergedWithPrevious":
                foreach (var p in parts)
                {
                    if (p.IsMatch && groups.Count > 0) groups[^1] = (groups[^1].Start, groups[^1].Length + p.Length);
                    else groups.Add((p.Start, p.Length));
                }
                break;
            case "MergedWithNext":
                var pending = -1;
                foreach (var p in parts)
                {
                    if (p.IsMatch && pending < 0) { pending = p.Start; continue; }
                    if (p.IsMatch) { groups.Add((pending, p.Start - pending)); pending = p.Start; continue; }
                    var start = pending >= 0 ? pending : p.Start;
                    groups.Add((start, p.Start + p.Length - start));
                    pending = -1;
                }
                if (pending >= 0) groups.Add((pending, text.Length - pending));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "checked when the pre-tokenizer was read");
        }
        return groups.Select(g => text.Slice(g.Start, g.Length));
    }
}
