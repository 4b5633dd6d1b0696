using System.Globalization;
using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>
/// Values to put where another value was: every JSON type, the boundary numbers (0, −1, 2³¹−1, 2⁵³, 1e309 which
/// overflows a double), fractions, strings that look like numbers or NaN — and values made from the old one (±1, ×2,
/// as a string, with a fraction part), which are the likeliest typos.
/// </summary>
internal static class Palette
{
    private static readonly string[] Generic =
    [
        "null", "true", "false", "0", "1", "-1", "2", "2147483647", "2147483648", "-2147483648", "4294967296",
        "9007199254740992", "9007199254740993", "9223372036854775807", "9223372036854775808", "1e308", "1e309", "-1e309",
        "-0.0", "0.5", "2.5", "1e-300", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"-1\"", "\"2\"", "\"\"", "\" \"",
        "\"text\"", "\"<s>\"", "[]", "[null]", "[2.5]", "[\"2\", 2]", "[1]", "[-1]", "[[]]", "{}", "{\"content\": 5}",
        "{\"type\": null}", "{\"a\": 1}",
    ];

    public static JsonNode? Pick(Random random, JsonNode? old, IReadOnlyList<string> documentStrings)
    {
        if (random.Next(2) == 0 || Related(old, documentStrings, random) is not { Count: > 0 } related)
            return JsonTree.Parse(Generic[random.Next(Generic.Length)]);
        return JsonTree.Parse(related[random.Next(related.Count)]);
    }

    /// <summary>Values near the old one, as JSON text.</summary>
    private static List<string> Related(JsonNode? old, IReadOnlyList<string> documentStrings, Random random)
    {
        var slot = new Slot(true, old);
        var values = new List<string>();
        if (JsonTree.IsWhole(slot, out var whole))
        {
            values.AddRange([Text(whole + 1), Text(whole - 1), Text(-whole), Text(whole * 2), Text(whole / 2), $"{whole}.0", $"{whole}e0", $"\"{whole}\"", $"[{whole}]", Text(whole + (1L << 32))]);
        }
        else if (JsonTree.IsFinite(slot, out var number))
        {
            values.AddRange([Double(number * 10), Double(number / 10), Double(-number), "0", "0.0", $"\"{Double(number)}\"", Double(Math.Round(number)), Double(number * 1e300)]);
        }
        else if (JsonTree.IsString(slot, out var text))
        {
            values.AddRange(["\"\"", Quote(text + "x"), Quote(text.ToUpperInvariant()), Quote(" " + text), $"[{Quote(text)}]", "5"]);
            if (documentStrings.Count > 0) values.Add(Quote(documentStrings[random.Next(documentStrings.Count)]));
        }
        else if (JsonTree.IsBool(slot, out var flag))
        {
            values.AddRange([flag ? "false" : "true", $"\"{(flag ? "true" : "false")}\"", flag ? "1" : "0", "null"]);
        }
        else if (old is JsonArray array)
        {
            values.Add("[]");
            if (array.Count > 0)
            {
                var first = array[0]?.ToJsonString() ?? "null";
                values.AddRange([$"[{first}]", first, "[" + string.Join(",", array.Select(e => e?.ToJsonString() ?? "null").Append(first)) + "]"]);
            }
        }
        else if (old is JsonObject)
        {
            values.AddRange(["{}", "[]"]);
        }
        return values;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Double(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "1e309";

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString(JsonTree.Compact);
}
