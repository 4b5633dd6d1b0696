using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Walkthrough.Notebooks;

/// <summary>
/// JSON text exactly as Jupyter (<c>json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)</c>) and VS Code
/// write notebooks: keys sorted, one-space indent, non-ASCII text as is, a final newline. Any writer that follows the
/// same rules gives the same bytes, so a notebook saved here, in Jupyter or in VS Code diffs only where it changed.
/// </summary>
internal static class JupyterJson
{
    public static readonly JsonElement EmptyObject = Element("{}");

    /// <summary>An immutable element that outlives the text it was parsed from.</summary>
    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string Write(JsonNode root)
    {
        var text = new StringBuilder();
        Write(text, root, 0);
        return text.Append('\n').ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                var keys = obj.Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList();
                WriteContainer(text, '{', '}', keys.Count, depth, i =>
                {
                    WriteString(text, keys[i]);
                    text.Append(": ");
                    Write(text, obj[keys[i]], depth + 1);
                });
                break;
            case JsonArray array:
                WriteContainer(text, '[', ']', array.Count, depth, i => Write(text, array[i], depth + 1));
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(text, value.GetValue<string>());
                break;
            default:
                text.Append(node.ToJsonString()); // numbers, true, false: as they were written
                break;
        }
    }

    private static void WriteContainer(StringBuilder text, char open, char close, int count, int depth, Action<int> item)
    {
        text.Append(open);
        if (count > 0)
        {
            for (var i = 0; i < count; i++)
            {
                text.Append(i == 0 ? "\n" : ",\n").Append(' ', depth + 1);
                item(i);
            }
            text.Append('\n').Append(' ', depth);
        }
        text.Append(close);
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    // Control characters, and a lone half of a surrogate pair (which UTF-8 cannot carry), as \u00XX.
                    var paired = char.IsHighSurrogate(c) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                        : char.IsLowSurrogate(c) ? i > 0 && char.IsHighSurrogate(value[i - 1])
                        : true;
                    if (c < ' ' || !paired)
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
