using System.Text;
using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>A mutated file: what was done, its bytes, and, for curated changes, the judgement that comes with them.</summary>
internal sealed record Mutation(string Description, byte[] Bytes, Judgement? Judgement = null);

/// <summary>An addition worth trying in one family (a rope_scaling object, a pre-tokenizer): a member, or with no name an array's new last element.</summary>
internal sealed record Insertion(JsonPath Parent, string? Name, string Json, Judgement? Judgement = null);

/// <summary>
/// Makes mutated copies of one JSON document, deterministically from a <see cref="Random"/>: tree mutations (a value
/// replaced by any JSON type or a boundary number, a key removed, renamed or added, an array element duplicated)
/// and text mutations (a key written twice, a lone surrogate escape, invalid UTF-8, a cut at a structural
/// character, a flipped bit, whole-file stand-ins). Case i takes operator i mod their number, so any run of cases covers
/// them all; the place is drawn with every pattern of path equally likely.
/// </summary>
internal sealed class JsonMutator
{
    private const string Placeholder = "\u0001fuzz-placeholder\u0001";

    private readonly JsonNode? _root;
    private readonly byte[] _bytes;
    private readonly bool _indented;
    private readonly IReadOnlyList<Insertion> _insertions;
    private readonly List<List<(JsonPath Path, JsonNode? Node)>> _byPattern;
    private readonly List<(JsonPath Path, JsonNode? Node)> _members;
    private readonly List<(JsonPath Path, JsonNode? Node)> _strings;
    private readonly List<(JsonPath Path, JsonNode? Node)> _arrays;
    private readonly List<(JsonPath Path, JsonNode? Node)> _objects;
    private readonly List<string> _stringValues;
    private readonly int[] _structural;
    private readonly Func<int, Random, Mutation>[] _operators;

    public JsonMutator(byte[] bytes, IReadOnlySet<string> maps, bool indented, IReadOnlyList<Insertion>? insertions = null)
    {
        _bytes = bytes;
        _root = JsonTree.Parse(Encoding.UTF8.GetString(bytes));
        _indented = indented;
        _insertions = insertions ?? [];
        var all = JsonTree.Walk(_root, maps).ToList();
        _byPattern = all.Where(p => !p.Path.IsRoot).GroupBy(p => p.Path.Pattern).Select(g => g.ToList()).ToList();
        _members = all.Where(p => p.Path.Last is string).ToList();
        _strings = all.Where(p => JsonTree.Kind(p.Node) == "string").ToList();
        _arrays = all.Where(p => p.Node is JsonArray { Count: > 0 }).ToList();
        _objects = all.Where(p => p.Node is JsonObject).ToList();
        _stringValues = _strings.Select(p => p.Node!.GetValue<string>()).Distinct().Take(2000).ToList();
        _structural = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)',' or (byte)':' or (byte)'"').ToArray();
        _operators =
        [
            (_, r) => ReplaceValue(r), Insert, (_, r) => ReplaceValue(r), (_, r) => RemoveMember(r), (_, r) => RenameMember(r),
            (_, r) => AddUnknownMember(r), Insert, (_, r) => DuplicateElement(r), (_, r) => ReplaceValue(r), (_, r) => DuplicateKey(r),
            (_, r) => LoneSurrogate(r), (_, r) => InvalidUtf8(r), Insert, (_, r) => Truncate(r), (_, r) => FlipBit(r),
            (_, r) => WholeFile(r), (_, r) => ReplaceValue(r), (_, r) => Reformat(r),
        ];
    }

    /// <summary>The <paramref name="index"/>-th mutation: operators in turn, the place and value drawn from <paramref name="random"/>.</summary>
    public Mutation Make(int index, Random random) => _operators[index % _operators.Length](index, random);

    private Mutation ReplaceValue(Random random)
    {
        var (path, node) = Place(random);
        var value = Palette.Pick(random, node, _stringValues);
        return Tree($"{path} = {Show(value)} (was {Show(node)})", JsonTree.With(_root, path, new Slot(true, value)));
    }

    private Mutation RemoveMember(Random random)
    {
        var (path, node) = Place(random);
        return Tree($"{path} removed (was {Show(node)})", JsonTree.With(_root, path, Slot.Absent));
    }

    private Mutation RenameMember(Random random)
    {
        if (_members.Count == 0) return WholeFile(random);
        var (path, _) = Pick(_members, random);
        var name = (string)path.Last!;
        string[] names = [name + "_", name.ToUpperInvariant(), " " + name, "", name.Length > 1 ? name[..^1] : name + name];
        var renamed = names[random.Next(names.Length)];
        if (renamed == name) renamed += "_";
        return Tree($"{path} renamed to \"{renamed}\"", JsonTree.Renamed(_root, path, renamed));
    }

    private Mutation AddUnknownMember(Random random)
    {
        if (_objects.Count == 0) return WholeFile(random);
        var (path, _) = Pick(_objects, random);
        var value = Palette.Pick(random, null, _stringValues);
        return Tree($"unknown key \"fuzz_unknown\" = {Show(value)} added to {path}", JsonTree.With(_root, AppendName(path, "fuzz_unknown"), new Slot(true, value)));
    }

    // The curated additions in turn, so a long enough run tries every one. Insert holds 3 of the 18 slots, at 1, 6 and 12:
    // index / 6 counts its turns 0, 1, 2, 3 ...
    private Mutation Insert(int index, Random random)
    {
        if (_insertions.Count == 0) return AddUnknownMember(random);
        var insertion = _insertions[index / 6 % _insertions.Count];
        var value = JsonTree.Parse(insertion.Json);
        var mutation = insertion.Name is { } name
            ? Tree($"{AppendName(insertion.Parent, name)} = {insertion.Json}", JsonTree.With(_root, AppendName(insertion.Parent, name), new Slot(true, value)))
            : Tree($"{insertion.Parent} + {insertion.Json}", JsonTree.Inserted(_root, insertion.Parent, int.MaxValue, value));
        return mutation with { Judgement = insertion.Judgement };
    }

    private Mutation DuplicateElement(Random random)
    {
        if (_arrays.Count == 0) return AddUnknownMember(random);
        var (path, node) = Pick(_arrays, random);
        var array = (JsonArray)node!;
        var index = random.Next(array.Count);
        var at = random.Next(2) == 0 ? index + 1 : array.Count;
        return Tree($"{path}[{index}] repeated at [{at}]", JsonTree.Inserted(_root, path, at, array[index]));
    }

    private Mutation DuplicateKey(Random random)
    {
        if (_members.Count == 0) return WholeFile(random);
        var (path, node) = Pick(_members, random);
        var other = random.Next(2) == 0 ? node?.DeepClone() : Palette.Pick(random, node, _stringValues);
        // Written after its twin: the same member twice in one object, which no JsonNode can hold.
        var marker = JsonTree.With(_root, path, new Slot(true, JsonValue.Create(Placeholder)));
        var marked = Serialize(marker);
        var original = node?.ToJsonString(JsonTree.Compact) ?? "null";
        var name = JsonValue.Create((string)path.Last!).ToJsonString(JsonTree.Compact);
        var twin = $"{original}, {name}: {other?.ToJsonString(JsonTree.Compact) ?? "null"}";
        var bytes = marked.Replace(JsonValue.Create(Placeholder).ToJsonString(JsonTree.Compact), twin);
        return new Mutation($"{path} written twice (second: {Show(other)})", Encoding.UTF8.GetBytes(bytes));
    }

    private Mutation LoneSurrogate(Random random)
    {
        string[] escapes = [@"\ud800", @"\udfff", @"\ud83dx", @"x\udc00"];
        var escape = escapes[random.Next(escapes.Length)];
        return InString(random, $"lone surrogate escape {escape}", Encoding.ASCII.GetBytes(escape));
    }

    private Mutation InvalidUtf8(Random random)
    {
        byte[][] sequences = [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]];
        var bytes = sequences[random.Next(sequences.Length)];
        return InString(random, $"invalid UTF-8 {Convert.ToHexString(bytes)}", bytes);
    }

    // Puts raw bytes into a string value or a key: through a placeholder, since no serializer writes them.
    private Mutation InString(Random random, string what, byte[] raw)
    {
        var inKey = _strings.Count == 0 || random.Next(3) == 0 && _members.Count > 0;
        JsonNode? marked;
        JsonPath path;
        if (inKey)
        {
            (path, _) = Pick(_members, random);
            marked = JsonTree.Renamed(_root, path, (string)path.Last! + Placeholder);
        }
        else
        {
            (path, var node) = Pick(_strings, random);
            marked = JsonTree.With(_root, path, new Slot(true, JsonValue.Create(node!.GetValue<string>() + Placeholder)));
        }
        var text = Encoding.UTF8.GetBytes(Serialize(marked));
        var placeholder = Encoding.UTF8.GetBytes(JsonValue.Create(Placeholder).ToJsonString(JsonTree.Compact)[1..^1]);
        return new Mutation($"{what} in {(inKey ? "the key" : "the value")} {path}", Splice(text, placeholder, raw));
    }

    private Mutation Truncate(Random random)
    {
        var at = _structural.Length == 0 ? random.Next(_bytes.Length) : _structural[random.Next(_structural.Length)] + random.Next(2);
        at = Math.Min(at, _bytes.Length - 1);
        return new Mutation($"cut after {at} of {_bytes.Length} bytes (at '{(char)_bytes[Math.Max(0, at - 1)]}')", _bytes[..at]);
    }

    private Mutation FlipBit(Random random)
    {
        var copy = _bytes.ToArray();
        var at = random.Next(copy.Length);
        var bit = random.Next(8);
        copy[at] ^= (byte)(1 << bit);
        return new Mutation($"bit {bit} of byte {at} flipped ('{Printable(_bytes[at])}' → '{Printable(copy[at])}')", copy);
    }

    private Mutation WholeFile(Random random)
    {
        (string What, byte[] Bytes)[] stand_ins =
        [
            ("an empty file", []),
            ("null", "null"u8.ToArray()),
            ("[]", "[]"u8.ToArray()),
            ("{}", "{}"u8.ToArray()),
            ("a string", "\"config\""u8.ToArray()),
            ("a number", "5"u8.ToArray()),
            ("a byte-order mark first", [0xEF, 0xBB, 0xBF, .. _bytes]),
            ("text after the object", [.. _bytes, .. "\ngarbage"u8.ToArray()]),
            ("a second object after the first", [.. _bytes, .. "{}"u8.ToArray()]),
            ("NUL bytes", new byte[64]),
            ("1,000 nested lists", Encoding.ASCII.GetBytes(new string('[', 1000) + new string(']', 1000))),
            ("NaN written bare", Encoding.UTF8.GetBytes("{\"x\": NaN}")),
        ];
        var (what, bytes) = stand_ins[random.Next(stand_ins.Length)];
        return new Mutation($"the whole file replaced by {what}", bytes);
    }

    private Mutation Reformat(Random random) => random.Next(2) == 0
        ? new Mutation("rewritten compact", Encoding.UTF8.GetBytes(_root!.ToJsonString(JsonTree.Compact)))
        : new Mutation("rewritten indented, with CRLF line ends and a final newline",
            Encoding.UTF8.GetBytes(_root!.ToJsonString(JsonTree.Indented).Replace("\n", "\r\n") + "\r\n"));

    private (JsonPath Path, JsonNode? Node) Place(Random random) => Pick(_byPattern[random.Next(_byPattern.Count)], random);

    private static (JsonPath, JsonNode?) Pick(List<(JsonPath Path, JsonNode? Node)> places, Random random) => places[random.Next(places.Count)];

    private Mutation Tree(string description, JsonNode? root) => new(description, Encoding.UTF8.GetBytes(Serialize(root)));

    private string Serialize(JsonNode? root) => root?.ToJsonString(_indented ? JsonTree.Indented : JsonTree.Compact) ?? "null";

    // A member path's sibling: the same parent, another name (maps included: the name is the data).
    private static JsonPath AppendName(JsonPath parent, string name) => parent.Member(name, new HashSet<string>());

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString(JsonTree.Compact) ?? "null";
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    private static string Printable(byte b) => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"0x{b:X2}";

    private static byte[] Splice(byte[] text, byte[] placeholder, byte[] raw)
    {
        var at = text.AsSpan().IndexOf(placeholder);
        return at < 0 ? text : [.. text[..at], .. raw, .. text[(at + placeholder.Length)..]];
    }
}
