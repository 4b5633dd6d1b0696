using System.Text.Json;
using System.Text.RegularExpressions;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "pre_tokenizer": cuts normalized text into words that BPE then works on one by one —
/// GPT-2 and Llama 3 cut with a regular expression, SentencePiece-style models (Mistral) do not cut at all.
/// </summary>
internal sealed class PreTokenization
{
    private const string Supported = "Sequence, Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit";

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

    public static PreTokenization From(JsonElement json, string file)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return new PreTokenization((pieces, _) => pieces, false);
        var type = json.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                var steps = json.GetProperty("pretokenizers").EnumerateArray().Select(p => From(p, file)).ToList();
                return new PreTokenization(
                    (pieces, atStart) => steps.Aggregate(pieces, (current, step) => step._apply(current, atStart)),
                    steps.Any(s => s.IsByteLevel));
            case "Split":
                if (json.TryGetProperty("invert", out var invert) && invert.GetBoolean())
                    throw TokenizerJsonError.Unsupported(file, "pre_tokenizer", "Split with invert", Supported);
                var pattern = Patterns.From(json.GetProperty("pattern"), file);
                var behavior = json.GetProperty("behavior").GetString() ?? "";
                return new PreTokenization((pieces, _) => SplitAll(pieces, pattern, behavior, file), false);
            case "ByteLevel":
                var addPrefixSpace = json.TryGetProperty("add_prefix_space", out var aps) && aps.GetBoolean();
                var useRegex = !json.TryGetProperty("use_regex", out var ur) || ur.GetBoolean();
                return new PreTokenization((pieces, _) => ByteLevel(pieces, addPrefixSpace, useRegex, file), true);
            case "Metaspace":
                return Metaspace(json);
            case "Digits":
                var individual = json.TryGetProperty("individual_digits", out var ind) && ind.GetBoolean();
                var digits = new Regex(individual ? "[0-9]" : "[0-9]+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, digits, "Isolated", file), false);
            case "Whitespace":
                var words = new Regex(@"\w+|[^\w\s]+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, words, "Keep", file), false);
            case "WhitespaceSplit":
                var nonSpace = new Regex(@"\S+", RegexOptions.CultureInvariant);
                return new PreTokenization((pieces, _) => SplitAll(pieces, nonSpace, "Keep", file), false);
            default:
                throw TokenizerJsonError.Unsupported(file, "pre_tokenizer", type, Supported);
        }
    }

    private static PreTokenization Metaspace(JsonElement json)
    {
        var replacement = json.GetProperty("replacement").GetString() ?? "▁";
        var scheme = json.TryGetProperty("prepend_scheme", out var ps) ? ps.GetString() ?? "always"
            : json.TryGetProperty("add_prefix_space", out var aps) && !aps.GetBoolean() ? "never" : "always";
        var split = !json.TryGetProperty("split", out var sp) || sp.GetBoolean();
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

    private static List<AlignedText> ByteLevel(List<AlignedText> pieces, bool addPrefixSpace, bool useRegex, string file)
    {
        if (addPrefixSpace) pieces = pieces.Select(p => p.Text.StartsWith(' ') ? p : p.Prepend(" ")).ToList();
        if (useRegex) pieces = SplitAll(pieces, Gpt2Split, "Isolated", file);
        return pieces.Select(ByteLevelAlphabet.Map).ToList();
    }

    private static List<AlignedText> SplitAll(List<AlignedText> pieces, Regex pattern, string behavior, string file)
    {
        var result = new List<AlignedText>();
        foreach (var piece in pieces) result.AddRange(SplitOne(piece, pattern, behavior, file));
        return result;
    }

    /// <summary>Splits on a pattern's matches; the behaviour says where each match goes (HF's SplitDelimiterBehavior).</summary>
    private static IEnumerable<AlignedText> SplitOne(AlignedText text, Regex pattern, string behavior, string file = "")
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
                throw TokenizerJsonError.Unsupported(file, "Split behavior", behavior,
                    "Isolated, Removed, MergedWithPrevious, MergedWithNext");
        }
        return groups.Select(g => text.Slice(g.Start, g.Length));
    }
}
