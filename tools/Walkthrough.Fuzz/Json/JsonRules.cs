using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>
/// What one file's readers must make of each change to it: the rules of a format, written from the format's
/// documentation and the reference implementations (transformers, tokenizers, safetensors), not from the kit's code.
/// </summary>
internal abstract class JsonRules
{
    /// <summary>Patterns of the objects whose members are data (a vocabulary), not fields.</summary>
    public abstract IReadOnlySet<string> Maps { get; }

    /// <summary>Judges one change; <paramref name="after"/> is the whole mutated document, for rules that look around.</summary>
    public abstract Judgement Judge(Change change, JsonNode? before, JsonNode? after);

    /// <summary>Judges mutated file bytes against the pristine document.</summary>
    public Judgement Judge(byte[] bytes, JsonNode? pristine)
    {
        var read = ReferenceJson.Read(bytes);
        if (!read.Valid) return read.Key is { } key ? Judgement.Refuse(read.Problem!, key) : Judgement.Refuse(read.Problem!);
        var judgement = JsonDiff.Between(pristine, read.Root, Maps)
            .Select(change => Judge(change, pristine, read.Root))
            .Aggregate(Judgement.Harmless, (all, one) => all.And(one));
        if (read.ByteOrderMark) judgement = judgement.And(Judgement.Same("a UTF-8 byte-order mark"));
        if (read.Depth > 64) judgement = judgement.And(Judgement.Same($"nested {read.Depth} deep"));
        return judgement;
    }

    /// <summary>The names a message about this change would use: the key, and for a map's member the member too.</summary>
    protected static string[] Names(Change change) => [.. change.Path.Names().Take(2)];

    protected static Judgement Refuse(Change change, string why) => Judgement.Refuse($"{change.Path} {why}", Names(change));
}
