using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// model.safetensors.index.json as transformers reads it: "weight_map" names, for each tensor, the shard beside the
/// index that holds it; "metadata" (total_size) is information only. A tensor mapped to a shard that does not hold it,
/// to a file that is not there or outside the folder, or a tensor no shard holds, is an error.
/// </summary>
internal sealed class IndexRules : JsonRules
{
    public override IReadOnlySet<string> Maps { get; } = new HashSet<string> { "weight_map" };

    public override Judgement Judge(Change change, JsonNode? before, JsonNode? after)
    {
        var path = change.Path;
        if (path.IsRoot) return after is JsonObject ? Judgement.Harmless : Judgement.Refuse("the index is not an object");
        var key = (string)path.Segments[0];
        if (key != "weight_map") return Judgement.Harmless;
        if (JsonTree.Get(after, JsonPath.Root.Member("weight_map", Maps)).Node is not JsonObject map)
            return Judgement.Refuse("weight_map is not an object", "weight_map");
        if (map.Count == 0) return Judgement.Refuse("weight_map is empty", "weight_map");
        if (path.Segments.Count < 2) return Judgement.Harmless;
        var tensor = (string)path.Segments[1];
        var member = JsonPath.Root.Member("weight_map", Maps).Member(tensor, Maps);
        var (was, now) = (JsonTree.Get(before, member), JsonTree.Get(after, member));
        if (!now.Present) return Judgement.Same($"'{tensor}' left out of the index, though its shard holds it");
        if (!was.Present) return Judgement.Refuse($"the index lists '{tensor}', which no shard holds", tensor, "weight_map");
        return JsonTree.SameJson(was, now) ? Judgement.Harmless : Judgement.Refuse($"the index puts '{tensor}' in {now}, not where it is", tensor, "weight_map");
    }
}
