using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>
/// What a careful reader may accept as JSON — the fuzzer's own judge, independent of the kit's readers: valid UTF-8,
/// RFC 8259 syntax, no key twice in one object (which value would count?), no lone UTF-16 surrogate in an escape
/// (Python's json lets one through; no text holds one). A UTF-8 byte-order mark is noted, not refused: readers differ.
/// </summary>
internal static class ReferenceJson
{
    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    /// <param name="Key">The key the problem is about, when there is one (a duplicate).</param>
    public sealed record Result(JsonNode? Root, string? Problem, bool ByteOrderMark, int Depth, string? Key = null)
    {
        public bool Valid => Problem is null;
    }

    public static Result Read(byte[] bytes)
    {
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var body = bom ? bytes.AsMemory(3) : bytes.AsMemory();
        try
        {
            Utf8.GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return new Result(null, "not valid UTF-8", bom, 0);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4096 });
        }
        catch (JsonException e)
        {
            return new Result(null, $"not valid JSON ({e.Message})", bom, 0);
        }
        using (document)
        {
            var problem = Check(document.RootElement, 1, out var depth, out var key);
            return problem is not null ? new Result(null, problem, bom, depth, key)
                : new Result(JsonNode.Parse(document.RootElement.GetRawText(), documentOptions: new JsonDocumentOptions { MaxDepth = 4096 }), null, bom, depth);
        }
    }

    private static string? Check(JsonElement element, int level, out int depth, out string? key)
    {
        depth = level;
        key = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryString(() => property.Name, out var name)) return "a key holds a lone surrogate";
                    if (!names.Add(name))
                    {
                        key = name;
                        return $"the key \"{name}\" appears twice";
                    }
                    if (Check(property.Value, level + 1, out var inner, out key) is { } problem) return problem;
                    depth = Math.Max(depth, inner);
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, level + 1, out var inner, out key) is { } problem) return problem;
                    depth = Math.Max(depth, inner);
                }
                return null;
            case JsonValueKind.String:
                return TryString(() => element.GetString()!, out _) ? null : "a string holds a lone surrogate";
            default:
                return null;
        }
    }

    private static bool TryString(Func<string> read, out string text)
    {
        try
        {
            text = read();
            return !HasLoneSurrogate(text);
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
