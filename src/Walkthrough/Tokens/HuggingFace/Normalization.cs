using System.Text;
using System.Text.RegularExpressions;
using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "normalizer": rewrites the text before it is split, e.g. SentencePiece-style models
/// prepend "▁" and turn every space into "▁", Qwen applies Unicode NFC.
/// </summary>
internal static class Normalization
{
    private const string Supported = "Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip";

    public static Func<AlignedText, AlignedText> From(JsonField json)
    {
        if (json.IsMissing) return text => text;
        var type = json.Object()["type"].String();
        switch (type)
        {
            case "Sequence":
                var steps = json["normalizers"].Items().Select(From).ToList();
                return text => steps.Aggregate(text, (current, step) => step(current));
            case "Prepend":
                var prefix = json["prepend"].String();
                return text => text.Prepend(prefix);
            case "Replace":
                var pattern = Patterns.From(json["pattern"]);
                var content = json["content"].String();
                return text => text.Replace(
                    pattern.Matches(text.Text).Select(m => (m.Index, m.Length)), _ => content);
            case "NFC": return Unicode(NormalizationForm.FormC, json.File);
            case "NFD": return Unicode(NormalizationForm.FormD, json.File);
            case "NFKC": return Unicode(NormalizationForm.FormKC, json.File);
            case "NFKD": return Unicode(NormalizationForm.FormKD, json.File);
            case "Lowercase":
                return text => text.MapRuns(run => run.ToLowerInvariant());
            case "Strip":
                var left = json["strip_left"].Exists ? json["strip_left"].StrictBool(false) : throw json["strip_left"].Error("is missing; it must be true or false");
                var right = json["strip_right"].Exists ? json["strip_right"].StrictBool(false) : throw json["strip_right"].Error("is missing; it must be true or false");
                return text => Strip(text, left, right);
            default:
                throw TokenizerJsonError.Unsupported(json["type"], "normalizer", type, Supported);
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

/// <summary>A tokenizer.json pattern: <c>{"String": "..."}</c> (literal) or <c>{"Regex": "..."}</c>, which must parse.</summary>
internal static class Patterns
{
    public static Regex From(JsonField pattern)
    {
        if (pattern.Members().Count() != 1) throw pattern.Error("is not {\"String\": ...} or {\"Regex\": ...}, one key alone");
        if (pattern["String"] is { Exists: true } literal)
            return new Regex(Regex.Escape(literal.String()), RegexOptions.CultureInvariant);
        var regex = pattern["Regex"];
        if (!regex.Exists) throw pattern.Error("is neither {\"String\": ...} nor {\"Regex\": ...}");
        var text = regex.String();
        try
        {
            return new Regex(ToDotNet(text), RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw regex.Error($"is not a regular expression Walkthrough can run ({e.Message.TrimEnd('.')})",
                "the file is damaged, or uses Oniguruma syntax .NET lacks — download tokenizer.json again, or use the model's tokenizer.model");
        }
    }

    // Oniguruma's possessive quantifiers (X++, X*+, X?+) become .NET atomic groups, which match the same.
    private static string ToDotNet(string pattern) =>
        Regex.Replace(pattern, @"(\\p\{\w+\}|\[(?:\\.|[^\]])*\]|\\.|[^\\\[\]()|])([+*?])\+", "(?>$1$2)");
}
