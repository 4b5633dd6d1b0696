using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>A value at a path, or its absence (a member that is not there is not the same as one that is null).</summary>
internal readonly record struct Slot(bool Present, JsonNode? Node)
{
    public static readonly Slot Absent = new(false, null);

    public string Kind => !Present ? "absent" : JsonTree.Kind(Node);

    public override string ToString() => !Present ? "(absent)" : Node?.ToJsonString() ?? "null";
}

/// <summary>Walking, reading and editing <see cref="JsonNode"/> trees by <see cref="JsonPath"/>.</summary>
internal static class JsonTree
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static JsonNode? Parse(string json) => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 4096 });

    /// <summary>Every value in the document with its path, parents before children.</summary>
    public static IEnumerable<(JsonPath Path, JsonNode? Node)> Walk(JsonNode? root, IReadOnlySet<string> maps)
    {
        var stack = new Stack<(JsonPath, JsonNode?)>();
        stack.Push((JsonPath.Root, root));
        while (stack.Count > 0)
        {
            var (path, node) = stack.Pop();
            yield return (path, node);
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj.Reverse()) stack.Push((path.Member(name, maps), child));
                    break;
                case JsonArray array:
                    for (var i = array.Count - 1; i >= 0; i--) stack.Push((path.Item(i), array[i]));
                    break;
            }
        }
    }

    public static Slot Get(JsonNode? root, JsonPath path)
    {
        var node = root;
        foreach (var segment in path.Segments)
        {
            switch (segment, node)
            {
                case (string name, JsonObject obj) when obj.TryGetPropertyValue(name, out var child):
                    node = child;
                    break;
                case (int index, JsonArray array) when index < array.Count:
                    node = array[index];
                    break;
                default:
                    return Slot.Absent;
            }
        }
        return new Slot(true, node);
    }

    /// <summary>A copy of <paramref name="root"/> with the value at <paramref name="path"/> replaced (or added), or removed when <paramref name="value"/> is absent.</summary>
    public static JsonNode? With(JsonNode? root, JsonPath path, Slot value)
    {
        if (path.IsRoot) return value.Node?.DeepClone();
        var copy = root?.DeepClone();
        var parent = Get(copy, path.Parent).Node;
        switch (path.Last, parent)
        {
            case (string name, JsonObject obj):
                if (value.Present) obj[name] = value.Node?.DeepClone();
                else obj.Remove(name);
                break;
            case (int index, JsonArray array):
                if (!value.Present) array.RemoveAt(index);
                else if (index < array.Count) array[index] = value.Node?.DeepClone();
                else array.Add(value.Node?.DeepClone());
                break;
            default:
                throw new ArgumentException($"No place {path} in the document.");
        }
        return copy;
    }

    /// <summary>A copy with an object's member renamed, keeping its place among the members.</summary>
    public static JsonNode? Renamed(JsonNode? root, JsonPath member, string newName)
    {
        var copy = root?.DeepClone();
        if (Get(copy, member.Parent).Node is not JsonObject obj || member.Last is not string oldName) throw new ArgumentException($"{member} is not a member.");
        var members = obj.Select(p => (Name: p.Key == oldName ? newName : p.Key, Value: p.Value?.DeepClone())).ToList();
        obj.Clear();
        foreach (var (name, value) in members) obj[name] = value;
        return copy;
    }

    /// <summary>A copy with an array's element inserted at <paramref name="index"/>.</summary>
    public static JsonNode? Inserted(JsonNode? root, JsonPath array, int index, JsonNode? value)
    {
        var copy = root?.DeepClone();
        if (Get(copy, array).Node is not JsonArray items) throw new ArgumentException($"{array} is not an array.");
        items.Insert(Math.Min(index, items.Count), value?.DeepClone());
        return copy;
    }

    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "unknown",
    };

    public static bool IsString(Slot slot, out string text)
    {
        text = "";
        if (slot.Node is not JsonValue value || value.GetValueKind() != JsonValueKind.String) return false;
        text = value.GetValue<string>();
        return true;
    }

    public static bool IsBool(Slot slot, out bool flag)
    {
        flag = false;
        if (slot.Node is not JsonValue value || value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return false;
        flag = value.GetValue<bool>();
        return true;
    }

    /// <summary>A number written as a whole number (no fraction, no exponent), as Python's json reads an int.</summary>
    public static bool IsWhole(Slot slot, out long number)
    {
        number = 0;
        if (slot.Node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return false;
        var text = value.ToJsonString();
        return !text.Any(c => c is '.' or 'e' or 'E') && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Any JSON number that is finite as a double.</summary>
    public static bool IsFinite(Slot slot, out double number)
    {
        number = 0;
        if (slot.Node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return false;
        return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    public static bool SameJson(Slot a, Slot b) => a.Present == b.Present && (a.Node?.ToJsonString() ?? "null") == (b.Node?.ToJsonString() ?? "null");
}
