using System.Globalization;
using System.Text;
using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "decoder": turns token pieces back into text — "▁" back to spaces, &lt;0xNN&gt; bytes and
/// GPT-2's byte alphabet back to UTF-8, the leading space the normalizer added taken off again.
/// </summary>
internal static class Decoding
{
    private const string Supported = "Sequence, Replace, ByteFallback, Fuse, Strip, ByteLevel, Metaspace";

    public static Func<List<string>, List<string>> From(JsonField json)
    {
        if (json.IsMissing) return pieces => pieces;
        var type = json.Object()["type"].String();
        switch (type)
        {
            case "Sequence":
                var steps = json["decoders"].Items().Select(From).ToList();
                return pieces => steps.Aggregate(pieces, (current, step) => step(current));
            case "Replace":
                var pattern = Patterns.From(json["pattern"]);
                var content = json["content"].String();
                return pieces => pieces.Select(p => pattern.Replace(p, content.Replace("$", "$$"))).ToList();
            case "ByteFallback":
                return ByteFallback;
            case "Fuse":
                return pieces => [string.Concat(pieces)];
            case "Strip":
                var strip = json["content"].String();
                var start = json["start"].Int(0, int.MaxValue);
                var stop = json["stop"].Int(0, int.MaxValue);
                return pieces => pieces.Select((p, i) => Strip(p, strip, i == 0 ? start : 0, i == pieces.Count - 1 ? stop : 0)).ToList();
            case "ByteLevel":
                return pieces => [Utf8(pieces.SelectMany(p => ByteLevelAlphabet.Decode(p) ?? Encoding.UTF8.GetBytes(p)))];
            case "Metaspace":
                var replacement = PreTokenization.Replacement(json["replacement"]);
                var scheme = PreTokenization.PrependScheme(json["prepend_scheme"]) ?? "always";
                json["split"].StrictBool(true);  // read for its type only: decoding does not split
                return pieces => pieces.Select((p, i) =>
                {
                    var text = p.Replace(replacement, " ");
                    return i == 0 && scheme != "never" && text.StartsWith(' ') ? text[1..] : text;
                }).ToList();
            default:
                throw TokenizerJsonError.Unsupported(json["type"], "decoder", type, Supported);
        }
    }

    /// <summary>Runs of &lt;0xNN&gt; pieces become the text their bytes spell (invalid UTF-8 shows as U+FFFD).</summary>
    private static List<string> ByteFallback(List<string> pieces)
    {
        var result = new List<string>();
        var bytes = new List<byte>();
        foreach (var piece in pieces)
        {
            if (TryParseByte(piece, out var b))
            {
                bytes.Add(b);
                continue;
            }
            if (bytes.Count > 0) result.Add(Utf8(bytes));
            bytes.Clear();
            result.Add(piece);
        }
        if (bytes.Count > 0) result.Add(Utf8(bytes));
        return result;
    }

    public static bool TryParseByte(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }

    private static string Utf8(IEnumerable<byte> bytes) => Encoding.UTF8.GetString(bytes.ToArray());

    private static string Strip(string text, string content, int left, int right)
    {
        var from = 0;
        var to = text.Length;
        for (var i = 0; i < left && text.AsSpan(from, to - from).StartsWith(content, StringComparison.Ordinal); i++) from += content.Length;
        for (var i = 0; i < right && text.AsSpan(from, to - from).EndsWith(content, StringComparison.Ordinal); i++) to -= content.Length;
        return text[from..to];
    }
}
