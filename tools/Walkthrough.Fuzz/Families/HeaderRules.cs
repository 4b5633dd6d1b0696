using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// A safetensors header, as the safetensors library checks it: an object of tensors, each {dtype, shape,
/// data_offsets} (other fields ignored), and "__metadata__", an object of strings. The tensors' offsets must tile the
/// data exactly, so with the data unchanged any change to a shape or an offset is an error, and so is a tensor
/// removed or renamed (the model needs every one). One change is valid: BF16 ↔ F16 keeps every size, and reads the
/// same bytes as other numbers.
/// </summary>
internal sealed class HeaderRules : JsonRules
{
    public override IReadOnlySet<string> Maps { get; } = new HashSet<string> { "" };

    public override Judgement Judge(Change change, JsonNode? before, JsonNode? after)
    {
        var path = change.Path;
        if (path.IsRoot) return after is JsonObject ? Judgement.Harmless : Judgement.Refuse("the header is not an object");
        var name = (string)path.Segments[0];
        var top = JsonPath.Root.Member(name, Maps);
        var (was, now) = (JsonTree.Get(before, top), JsonTree.Get(after, top));
        if (name == "__metadata__")
            return !now.Present || now.Node is JsonObject metadata && metadata.All(p => JsonTree.IsString(new Slot(true, p.Value), out _))
                ? Judgement.Harmless : Judgement.Refuse("__metadata__ is not an object of strings", "__metadata__");
        if (!was.Present)
            return now.Node is JsonObject added && Empty(added) ? Judgement.Same("an empty tensor the model does not use")
                : Judgement.Refuse($"tensor '{name}' is not the checkpoint's", name);
        if (!now.Present) return Judgement.Refuse($"tensor '{name}' is gone");  // the first error may well be its unclaimed bytes
        if (now.Node is not JsonObject entry) return Judgement.Refuse($"tensor '{name}' is not an object", name);
        var old = (JsonObject)was.Node!;
        var field = path.Segments.Count > 1 ? path.Segments[1] as string : null;
        foreach (var key in new[] { "shape", "data_offsets" })
            if (!JsonTree.SameJson(JsonTree.Get(old, Field(key)), JsonTree.Get(entry, Field(key))))
                return Judgement.Refuse($"tensor '{name}' has another {key}", name, key);
        var (dtype, oldDtype) = (JsonTree.Get(entry, Field("dtype")), JsonTree.Get(old, Field("dtype")));
        if (JsonTree.SameJson(dtype, oldDtype)) return Judgement.Harmless;  // a field safetensors ignores
        return JsonTree.IsString(dtype, out var type) && JsonTree.IsString(oldDtype, out var oldType) && (type, oldType) is ("F16", "BF16") or ("BF16", "F16")
            ? Judgement.Finite("a 16-bit float read as the other one")
            : Judgement.Refuse($"tensor '{name}' has dtype {dtype}", name, field ?? "dtype");
    }

    private static JsonPath Field(string name) => JsonPath.Root.Member(name, new HashSet<string>());

    private static bool Empty(JsonObject entry) =>
        JsonTree.Get(entry, Field("shape")).Node is JsonArray shape && shape.Any(s => JsonTree.IsWhole(new Slot(true, s), out var size) && size == 0)
        && shape.All(s => JsonTree.IsWhole(new Slot(true, s), out var size) && size >= 0)
        && JsonTree.IsString(JsonTree.Get(entry, Field("dtype")), out _)
        && JsonTree.Get(entry, Field("data_offsets")).Node is JsonArray { Count: 2 } offsets
        && JsonTree.IsWhole(new Slot(true, offsets[0]), out var begin) && JsonTree.IsWhole(new Slot(true, offsets[1]), out var end) && begin == end && begin == 0;
}
