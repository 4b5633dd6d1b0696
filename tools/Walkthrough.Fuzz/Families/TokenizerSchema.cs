using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// The shapes of tokenizer.json's pipeline components as the tokenizers library serializes them — normalizer,
/// pre_tokenizer, decoder, post_processor and their patterns — limited to the types the kit runs (any other type
/// must be refused as unsupported). Each check returns null, or the problem with the key it is about.
/// </summary>
internal static class TokenizerSchema
{
    public sealed record Problem(string Key, string What);

    public static Problem? Normalizer(JsonNode? node) => Component(node, "normalizer", (type, o) => type switch
    {
        "Sequence" => List(o, "normalizers", Normalizer),
        "Prepend" => String(o, "prepend"),
        "Replace" => Pattern(o) ?? String(o, "content"),
        "NFC" or "NFD" or "NFKC" or "NFKD" or "Lowercase" => null,
        "Strip" => Bool(o, "strip_left", required: true) ?? Bool(o, "strip_right", required: true),
        _ => new Problem("type", $"normalizer type {type} is not one the kit runs"),
    });

    public static Problem? PreTokenizer(JsonNode? node) => Component(node, "pre_tokenizer", (type, o) => type switch
    {
        "Sequence" => List(o, "pretokenizers", PreTokenizer),
        "Split" => Pattern(o) ?? OneOf(o, "behavior", true, "Isolated", "Removed", "MergedWithPrevious", "MergedWithNext")
            ?? (JsonTree.IsBool(Get(o, "invert"), out var invert) && invert ? new Problem("invert", "an inverted Split is not supported") : Bool(o, "invert")),
        "ByteLevel" => Bool(o, "add_prefix_space") ?? Bool(o, "use_regex") ?? Bool(o, "trim_offsets"),
        "Metaspace" => Replacement(o) ?? OneOf(o, "prepend_scheme", false, "always", "never", "first") ?? Bool(o, "split") ?? Bool(o, "add_prefix_space"),
        "Digits" => Bool(o, "individual_digits"),
        "Whitespace" or "WhitespaceSplit" => null,
        _ => new Problem("type", $"pre_tokenizer type {type} is not one the kit runs"),
    });

    public static Problem? Decoder(JsonNode? node) => Component(node, "decoder", (type, o) => type switch
    {
        "Sequence" => List(o, "decoders", Decoder),
        "Replace" => Pattern(o) ?? String(o, "content"),
        "ByteFallback" or "Fuse" or "ByteLevel" => null,
        "Strip" => String(o, "content") ?? Count(o, "start") ?? Count(o, "stop"),
        "Metaspace" => Replacement(o) ?? OneOf(o, "prepend_scheme", false, "always", "never", "first") ?? Bool(o, "split"),
        _ => new Problem("type", $"decoder type {type} is not one the kit runs"),
    });

    public static Problem? PostProcessor(JsonNode? node, long vocabulary) => Component(node, "post_processor", (type, o) => type switch
    {
        "Sequence" => List(o, "processors", p => PostProcessor(p, vocabulary)),
        "ByteLevel" => null,
        "TemplateProcessing" => Template(o, vocabulary),
        "BertProcessing" or "RobertaProcessing" => Pair(o, "sep", vocabulary) ?? Pair(o, "cls", vocabulary),
        _ => new Problem("type", $"post_processor type {type} is not one the kit runs"),
    });

    private static Problem? Template(JsonObject o, long vocabulary)
    {
        if (Get(o, "special_tokens").Node is not JsonObject specials) return new Problem("special_tokens", "is not an object");
        foreach (var (name, special) in specials)
        {
            if (special is not JsonObject s || !JsonTree.IsString(Get(s, "id"), out _)) return new Problem(name, "is not a special token with an id");
            if (Get(s, "ids").Node is not JsonArray ids || ids.Any(id => !Id(new Slot(true, id), vocabulary)))
                return new Problem("ids", $"the ids of \"{name}\" are not token ids within the vocabulary");
            if (Get(s, "tokens").Node is not JsonArray tokens || tokens.Any(t => !JsonTree.IsString(new Slot(true, t), out _)))
                return new Problem("tokens", $"the tokens of \"{name}\" are not a list of strings");
        }
        if (Get(o, "single").Node is not JsonArray single) return new Problem("single", "is not a list");
        foreach (var item in single)
        {
            if (item is JsonObject { Count: 1 } piece && piece["Sequence"] is JsonObject sequence && JsonTree.IsString(Get(sequence, "id"), out _)) continue;
            if (item is JsonObject { Count: 1 } token && token["SpecialToken"] is JsonObject st && JsonTree.IsString(Get(st, "id"), out var id) && specials.ContainsKey(id)) continue;
            return new Problem("single", "holds an item that is neither a Sequence nor a SpecialToken it defines");
        }
        return null;
    }

    private static Problem? Pair(JsonObject o, string key, long vocabulary) =>
        Get(o, key).Node is JsonArray { Count: 2 } pair && JsonTree.IsString(new Slot(true, pair[0]), out _) && Id(new Slot(true, pair[1]), vocabulary)
            ? null : new Problem(key, "is not a [token, id] pair within the vocabulary");

    public static bool Id(Slot slot, long vocabulary) => JsonTree.IsWhole(slot, out var id) && id >= 0 && id < vocabulary;

    /// <summary>{"String": literal} or {"Regex": a pattern .NET's engine parses}.</summary>
    public static Problem? Pattern(JsonObject o)
    {
        if (Get(o, "pattern").Node is not JsonObject { Count: 1 } pattern) return new Problem("pattern", "is not {\"String\": ...} or {\"Regex\": ...}");
        if (pattern.ContainsKey("String")) return JsonTree.IsString(Get(pattern, "String"), out _) ? null : new Problem("String", "is not a string");
        if (!JsonTree.IsString(Get(pattern, "Regex"), out var regex)) return new Problem("Regex", "is not a string");
        try
        {
            _ = new Regex(regex, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException)
        {
            return new Problem("Regex", $"\"{regex}\" is not a regular expression");
        }
    }

    private static Problem? Component(JsonNode? node, string name, Func<string, JsonObject, Problem?> byType)
    {
        if (node is null) return null;
        if (node is not JsonObject o) return new Problem(name, "is not an object");
        if (!JsonTree.IsString(Get(o, "type"), out var type)) return new Problem("type", $"the {name} has no type name");
        return byType(type, o);
    }

    private static Problem? List(JsonObject o, string key, Func<JsonNode?, Problem?> each) =>
        Get(o, key).Node is JsonArray items ? items.Select(each).FirstOrDefault(p => p is not null) : new Problem(key, "is not a list");

    private static Problem? String(JsonObject o, string key) => JsonTree.IsString(Get(o, key), out _) ? null : new Problem(key, "is not a string");

    private static Problem? Replacement(JsonObject o) =>
        JsonTree.IsString(Get(o, "replacement"), out var text) && text.EnumerateRunes().Count() == 1 ? null : new Problem("replacement", "is not one character");

    private static Problem? Bool(JsonObject o, string key, bool required = false)
    {
        var slot = Get(o, key);
        return !slot.Present && !required || JsonTree.IsBool(slot, out _) ? null : new Problem(key, "is not true or false");
    }

    private static Problem? Count(JsonObject o, string key) =>
        JsonTree.IsWhole(Get(o, key), out var n) && n is >= 0 and <= uint.MaxValue ? null : new Problem(key, "is not a whole number ≥ 0");

    private static Problem? OneOf(JsonObject o, string key, bool required, params string[] choices)
    {
        var slot = Get(o, key);
        if (!slot.Present && !required) return null;
        return JsonTree.IsString(slot, out var text) && choices.Contains(text) ? null : new Problem(key, $"is not one of {string.Join(", ", choices)}");
    }

    private static Slot Get(JsonObject o, string key) => o.TryGetPropertyValue(key, out var value) ? new Slot(true, value) : Slot.Absent;
}
