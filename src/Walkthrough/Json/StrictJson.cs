using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Walkthrough.Json;

/// <summary>
/// Reads a JSON file the way a careful reader must, before any value is used: valid UTF-8 (where System.Text.Json
/// would otherwise fail later, on the first string read), JSON syntax, no key twice in one object (Python keeps the
/// last, .NET's JsonObject throws: which did the author mean?), and no lone UTF-16 surrogate in an escape such as
/// <c>"\ud800"</c> (no text holds one). A UTF-8 byte-order mark is skipped. Every error names the file, where the
/// problem is, and what to do about it (the caller's fix).
/// </summary>
internal static class StrictJson
{
    public static JsonDocument Parse(string file, ReadOnlyMemory<byte> bytes, string fix, int maxDepth = 64)
    {
        if (bytes.Span.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[Encoding.UTF8.Preamble.Length..];
        if (InvalidUtf8At(bytes.Span) is { } at)
            throw new WalkthroughException($"{file}: byte {at:N0} of its JSON is not valid UTF-8 (the text is damaged, or in another encoding): {fix}.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new WalkthroughException($"{file}: not valid JSON{where} ({Reason(e)}): {fix}.", e);
        }
        try
        {
            // Valid UTF-8 holds no surrogates, so only a \uD800-\uDFFF escape can make one: strings are decoded to look only then.
            Check(file, document.RootElement, "", fix, HasSurrogateEscape(bytes.Span));
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public static JsonDocument Read(string file, string fix, int maxDepth = 64) => Parse(file, File.ReadAllBytes(file), fix, maxDepth);

    /// <summary>A JSON text in a string (a config written in a notebook): the same checks.</summary>
    public static JsonDocument Parse(string source, string json, string fix) => Parse(source, Encoding.UTF8.GetBytes(json), fix);

    private static void Check(string file, JsonElement element, string path, string fix, bool surrogates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = surrogates ? Text(file, () => property.Name, path, "a key", fix) : property.Name;
                    if (!names.Add(name))
                        throw new WalkthroughException(
                            $"{file}: {JsonField.Show(JsonField.Join(path, name))} appears twice{(path.Length == 0 ? "" : $" in {path}")}, " +
                            $"so which value counts is unclear: keep one and delete the other, or {fix}.");
                    if (surrogates || property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                        Check(file, property.Value, JsonField.Join(path, name), fix, surrogates);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (surrogates || item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) Check(file, item, $"{path}[{index}]", fix, surrogates);
                    index++;
                }
                break;
            case JsonValueKind.String when surrogates:
                Text(file, () => element.GetString()!, path, "the value", fix);
                break;
        }
    }

    // A string with a lone surrogate escape cannot be read (System.Text.Json throws) and is no text anyway.
    private static string Text(string file, Func<string> read, string path, string what, string fix)
    {
        try
        {
            var text = read();
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (char.IsSurrogate(text[i])) throw new InvalidOperationException("lone surrogate");
            }
            return text;
        }
        catch (InvalidOperationException)
        {
            var where = path.Length == 0 ? what : $"{what} of {JsonField.Show(path)}";
            throw new WalkthroughException($"{file}: {where} holds a lone UTF-16 surrogate escape (such as \\ud800), which stands for no character: {fix}.");
        }
    }

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> bytes)
    {
        for (var at = bytes.IndexOf("\\u"u8); at >= 0 && at + 3 < bytes.Length; at = NextEscape(bytes, at))
            if ((bytes[at + 2] | 0x20) == 'd' && (bytes[at + 3] | 0x20) is (byte)'8' or (byte)'9' or (byte)'a' or (byte)'b' or (byte)'c' or (byte)'d' or (byte)'e' or (byte)'f') return true;
        return false;
    }

    private static int NextEscape(ReadOnlySpan<byte> bytes, int at)
    {
        var next = bytes[(at + 2)..].IndexOf("\\u"u8);
        return next < 0 ? -1 : at + 2 + next;
    }

    private static long? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, Math.Min(bytes.Length, 1 << 16)));
        try
        {
            var done = 0L;
            while (!bytes.IsEmpty)
            {
                var status = Utf8.ToUtf16(bytes, buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status == OperationStatus.InvalidData) return done + read;
                bytes = bytes[read..];
                done += read;
                if (status == OperationStatus.Done) return null;
            }
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    // System.Text.Json's message on one line, without its own position suffix ("... LineNumber: 3 | BytePositionInLine: 7.").
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = string.Join(' ', (cut > 0 ? message[..cut] : message).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', ' ');
        return reason.Length > 160 ? reason[..157] + "..." : reason;
    }
}
