using System.Globalization;
using System.Text.Json;

namespace Walkthrough.Json;

/// <summary>
/// One value of a JSON file (already checked by <see cref="StrictJson"/>) with the path that leads to it, read with
/// the type and range it must have. Every error names the file, the key by its full path
/// (<c>added_tokens[1].id</c>, <c>model.vocab["▁the"]</c>), the value found and what was expected, then what to do.
/// Whole numbers are written without a fraction or exponent, as Python's json reads an int: 4096.0 is a float, which
/// torch would refuse as a size.
/// </summary>
internal readonly struct JsonField
{
    private readonly JsonElement _element;
    private readonly string _parent;   // the path of the object or list this value is in
    private readonly string? _name;    // its key there, or null for a list item
    private readonly int _index;

    public JsonField(string file, JsonElement root, string fix) : this(file, "", null, -1, root, exists: true, fix) { }

    // Paths are put together only when an error needs one: a vocabulary has 150,000 members.
    private JsonField(string file, string parent, string? name, int index, JsonElement element, bool exists, string fix)
    {
        File = file;
        _parent = parent;
        _name = name;
        _index = index;
        _element = element;
        Exists = exists;
        Fix = fix;
    }

    public string File { get; }

    /// <summary>Where the value is: "" for the whole file, then keys and indices.</summary>
    public string Path => _name is not null ? Join(_parent, _name) : _index >= 0 ? $"{_parent}[{_index}]" : _parent;

    /// <summary>What the learner should do about a wrong value ("download it again").</summary>
    public string Fix { get; }

    /// <summary>Whether the key is there at all (a member that is absent is not the same as one that is null).</summary>
    public bool Exists { get; }

    /// <summary>Absent, or null: what optional keys may be.</summary>
    public bool IsMissing => !Exists || _element.ValueKind == JsonValueKind.Null;

    public JsonValueKind Kind => Exists ? _element.ValueKind : JsonValueKind.Undefined;

    public JsonElement Element => _element;

    /// <summary>A member; absent (not an error yet) when there is no such key or this is not an object.</summary>
    public JsonField this[string name] =>
        Exists && _element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(name, out var value)
            ? new JsonField(File, Path, name, -1, value, true, Fix)
            : new JsonField(File, Path, name, -1, default, false, Fix);

    /// <summary>This value, which must be an object.</summary>
    public JsonField Object() => Kind == JsonValueKind.Object ? this : throw Wrong("an object { ... }");

    public IEnumerable<JsonField> Items()
    {
        if (Kind != JsonValueKind.Array) throw Wrong("a list [ ... ]");
        var (file, path, fix) = (File, Path, Fix);
        return _element.EnumerateArray().Select((item, i) => new JsonField(file, path, null, i, item, true, fix));
    }

    public IEnumerable<(string Name, JsonField Value)> Members()
    {
        if (Kind != JsonValueKind.Object) throw Wrong("an object { ... }");
        var (file, path, fix) = (File, Path, Fix);
        return _element.EnumerateObject().Select(p => (p.Name, new JsonField(file, path, p.Name, -1, p.Value, true, fix)));
    }

    public string String() => Kind == JsonValueKind.String ? _element.GetString()! : throw Wrong("a string");

    public string? OptionalString() => IsMissing ? null : String();

    /// <summary>true or false; absent or null (Python's None, in a config.json) is <paramref name="fallback"/>.</summary>
    public bool Bool(bool fallback) => IsMissing ? fallback : OptionalBool()!.Value;

    /// <summary>true or false, or absent for <paramref name="fallback"/>; null is an error, as for the tokenizers library's flags.</summary>
    public bool StrictBool(bool fallback) => !Exists ? fallback
        : Kind is JsonValueKind.True or JsonValueKind.False ? _element.GetBoolean()
        : throw Wrong("true or false");

    public bool? OptionalBool() => IsMissing ? null
        : Kind is JsonValueKind.True or JsonValueKind.False ? _element.GetBoolean()
        : throw Wrong("true or false");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public long Long(long min, long max, string? why = null)
    {
        if (!IsWhole(out var value)) throw Wrong($"a whole number{Range(min, max)}");
        if (value < min || value > max) throw Error($"is {value:N0}, {why ?? $"but it must be{Range(min, max)}"}");
        return value;
    }

    public int Int(int min, int max, string? why = null) => (int)Long(min, max, why);

    public int? OptionalInt(int min, int max, string? why = null) => IsMissing ? null : Int(min, max, why);

    /// <summary>A finite number above <paramref name="above"/> and below <paramref name="below"/>.</summary>
    public double Double(double above, double below, string? why = null)
    {
        if (Kind != JsonValueKind.Number || !double.TryParse(_element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Wrong("a finite number");
        if (value <= above || value >= below) throw Error($"is {Raw()}, {why ?? $"but it must be above {above} and below {below}"}");
        return value;
    }

    public double OptionalDouble(double fallback, double above, double below, string? why = null) => IsMissing ? fallback : Double(above, below, why);

    /// <summary>An error about this value: "FILE: "PATH" PROBLEM — FIX."</summary>
    public WalkthroughException Error(string problem, string? fix = null) =>
        new($"{File}: {(Path.Length == 0 ? "the whole file" : Show(Path))} {problem}: {fix ?? Fix}.");

    /// <summary>What the value is, for a message: absent, null, or its JSON kind and text.</summary>
    public string Describe() => !Exists ? "missing" : Kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => $"{Raw()}, a string",
        JsonValueKind.Number => IsWhole(out _) ? Raw() : $"{Raw()}, not a whole number",
        JsonValueKind.True or JsonValueKind.False => $"{Raw()}",
        JsonValueKind.Array => $"a list ({Raw()})",
        _ => $"an object ({Raw()})",
    };

    private WalkthroughException Wrong(string expected) => Error($"is {Describe()}; it must be {expected}");

    // TryGetInt64 takes digits alone: "4096.0" and "4e3" are not whole numbers to it, as they are not ints to Python.
    private bool IsWhole(out long value)
    {
        value = 0;
        return Kind == JsonValueKind.Number && _element.TryGetInt64(out value);
    }

    // The value as compact JSON on one line (a message is one line), cut short when long.
    private string Raw()
    {
        var text = JsonSerializer.Serialize(_element);
        return text.Length > 40 ? text[..37] + "..." : text;
    }

    private static string Range(long min, long max) =>
        max == long.MaxValue || max == int.MaxValue ? min == 0 ? " ≥ 0" : $" ≥ {min:N0}" : $" from {min:N0} to {max:N0}";

    /// <summary>A path one key deeper: <c>a.b</c>, or <c>a["▁the"]</c> for a key that is not a plain name.</summary>
    public static string Join(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? (path.Length == 0 ? name : $"{path}.{name}") : $"{path}[\"{name}\"]";

    /// <summary>A path as a message shows it, quoted: "hidden_size", "added_tokens[1].id".</summary>
    public static string Show(string path) => path.Contains('"') ? path : $"\"{path}\"";
}
