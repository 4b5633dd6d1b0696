namespace Walkthrough.Fuzz.Json;

/// <summary>
/// A place in a JSON document — member names and array indices from the root — and its pattern, the same place with
/// indices and the members of maps (a vocabulary, a safetensors header) left out: <c>model.vocab.*</c>,
/// <c>added_tokens[].id</c>. Mutations pick patterns evenly, so every field is hit, not just the 32,000 vocabulary entries.
/// </summary>
internal sealed class JsonPath : IEquatable<JsonPath>
{
    public static readonly JsonPath Root = new([], "");

    private JsonPath(IReadOnlyList<object> segments, string pattern)
    {
        Segments = segments;
        Pattern = pattern;
    }

    /// <summary>Member names (string) and array indices (int), from the root.</summary>
    public IReadOnlyList<object> Segments { get; }

    public string Pattern { get; }

    public bool IsRoot => Segments.Count == 0;

    public JsonPath Parent => new(Segments.Take(Segments.Count - 1).ToArray(), ParentPattern());

    /// <summary>The last member name on the path (a map's own name for its members: "vocab" for model.vocab["▁the"]).</summary>
    public string? LastName => Segments.OfType<string>().LastOrDefault();

    public object? Last => Segments.Count == 0 ? null : Segments[^1];

    /// <param name="maps">Patterns of the objects whose members are data, not fields ("" for the root).</param>
    public JsonPath Member(string name, IReadOnlySet<string> maps) =>
        new([.. Segments, name], (Pattern.Length == 0 ? "" : Pattern + ".") + (maps.Contains(Pattern) ? "*" : name));

    public JsonPath Item(int index) => new([.. Segments, index], Pattern + "[]");

    public bool StartsWith(JsonPath other) => other.Segments.Count <= Segments.Count && other.Segments.SequenceEqual(Segments.Take(other.Segments.Count));

    /// <summary>The member name or names a clear message about this place would use.</summary>
    public IEnumerable<string> Names()
    {
        foreach (var segment in Segments.Reverse())
            if (segment is string name) yield return name;
    }

    public override string ToString() => Segments.Count == 0 ? "(the whole file)" : string.Concat(Segments.Select((s, i) => s switch
    {
        int index => $"[{index}]",
        string name when IsPlain(name) => i == 0 ? name : "." + name,
        var other => $"[\"{other}\"]",
    }));

    public bool Equals(JsonPath? other) => other is not null && Segments.SequenceEqual(other.Segments);

    public override bool Equals(object? obj) => Equals(obj as JsonPath);

    public override int GetHashCode() => Segments.Aggregate(17, (hash, s) => hash * 31 + s.GetHashCode());

    private static bool IsPlain(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private string ParentPattern()
    {
        if (Segments.Count == 0) return "";
        var cut = Pattern.EndsWith("[]", StringComparison.Ordinal) ? Pattern.Length - 2 : Math.Max(0, Pattern.LastIndexOf('.'));
        return Pattern[..cut];
    }
}
