using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "normalizer": rewrites the text before it is split, e.g. SentencePiece-style models
/// prepend "▁" and turn every space into "▁", Qwen applies Unicode NFC.
/// </summary>
internal static class Normalization
{
    private const string Supported = "Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip";

    public static Func<AlignedText, AlignedText> From(JsonElement json, string file)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return text => text;
        var type = json.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                var steps = json.GetProperty("normalizers").EnumerateArray().Select(n => From(n, file)).ToList();
                return text => steps.Aggregate(text, (current, step) => step(current));
            case "Prepend":
                var prefix = json.GetProperty("prepend").GetString() ?? "";
                return text => text.Prepend(prefix);
            case "Replace":
                var pattern = Patterns.From(json.GetProperty("pattern"), file);
                var content = json.GetProperty("content").GetString() ?? "";
                return text => text.Replace(
                    pattern.Matches(text.Text).Select(m => (m.Index, m.Length)), _ => content);
            case "NFC": return Unicode(NormalizationForm.FormC, file);
            case "NFD": return Unicode(NormalizationForm.FormD, file);
            case "NFKC": return Unicode(NormalizationForm.FormKC, file);
            case "NFKD": return Unicode(NormalizationForm.FormKD, file);
            case "Lowercase":
                return text => text.MapRuns(run => run.ToLowerInvariant());
            case "Strip":
                var left = json.GetProperty("strip_left").GetBoolean();
                var right = json.GetProperty("strip_right").GetBoolean();
                return text => Strip(text, left, right);
            default:
                throw TokenizerJsonError.Unsupported(file, "normalizer", type, Supported);
        }
    }

    private static Func<AlignedText, AlignedText> Unicode(NormalizationForm form, string file)
    {
        // Without ICU (globalization-invariant mode) .NET leaves non-ASCII text as it is instead of normalizing it:
        // every id after an accent would silently differ from the reference.
        if ("e\u0301".Normalize(NormalizationForm.FormC) != "\u00e9")
            throw new WalkthroughException(
                $"{file}: this tokenizer normalizes text to Unicode {form}, which .NET cannot do here: it runs without ICU " +
                "(globalization-invariant mode). Install ICU (libicu, package libicu72 on Debian 12) and unset " +
                "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT, or set InvariantGlobalization to false.");
        return text => text.Text.IsNormalized(form) ? text : text.MapRuns(run => run.Normalize(form));
    }

    private static AlignedText Strip(AlignedText text, bool left, bool right)
    {
        var from = 0;
        var to = text.Length;
        while (left && from < to && char.IsWhiteSpace(text.Text[from])) from++;
        while (right && to > from && char.IsWhiteSpace(text.Text[to - 1])) to--;
        return text.Slice(from, to - from);
    }
}

/// <summary>A tokenizer.json pattern: <c>{"String": "..."}</c> (literal) or <c>{"Regex": "..."}</c>.</summary>
internal static class Patterns
{
    public static Regex From(JsonElement pattern, string file)
    {
        if (pattern.TryGetProperty("String", out var literal))
            return new Regex(Regex.Escape(literal.GetString() ?? ""), RegexOptions.CultureInvariant);
        if (pattern.TryGetProperty("Regex", out var regex))
            return new Regex(ToDotNet(regex.GetString() ?? ""), RegexOptions.CultureInvariant | RegexOptions.Compiled);
        throw TokenizerJsonError.Malformed(file, "a pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
    }

    // Oniguruma's possessive quantifiers (X++, X*+, X?+) become .NET atomic groups, which match the same.
    private static string ToDotNet(string pattern) =>
        Regex.Replace(pattern, @"(\\p\{\w+\}|\[(?:\\.|[^\]])*\]|\\.|[^\\\[\]()|])([+*?])\+", "(?>$1$2)");
}
