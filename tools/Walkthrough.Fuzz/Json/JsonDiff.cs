using System.Text.Json.Nodes;

namespace Walkthrough.Fuzz.Json;

/// <summary>One difference between the pristine document and a mutated one.</summary>
internal sealed record Change(JsonPath Path, Slot Old, Slot New)
{
    public override string ToString() => $"{Path}: {Old} → {New}";
}

/// <summary>
/// The places where two documents differ: members added or removed, values changed. Arrays of different lengths
/// count as one change of the whole array (an element inserted shifts all the rest), for the rules to judge whole.
/// </summary>
internal static class JsonDiff
{
    public static List<Change> Between(JsonNode? before, JsonNode? after, IReadOnlySet<string> maps)
    {
        var changes = new List<Change>();
        Compare(JsonPath.Root, new Slot(true, before), new Slot(true, after), maps, changes);
        return changes;
    }

    private static void Compare(JsonPath path, Slot before, Slot after, IReadOnlySet<string> maps, List<Change> changes)
    {
        switch (before.Node, after.Node)
        {
            case (JsonObject a, JsonObject b) when before.Present && after.Present:
                foreach (var (name, value) in a)
                    Compare(path.Member(name, maps), new Slot(true, value), b.TryGetPropertyValue(name, out var other) ? new Slot(true, other) : Slot.Absent, maps, changes);
                foreach (var (name, value) in b)
                    if (!a.ContainsKey(name)) changes.Add(new Change(path.Member(name, maps), Slot.Absent, new Slot(true, value)));
                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++) Compare(path.Item(i), new Slot(true, a[i]), new Slot(true, b[i]), maps, changes);
                break;
            default:
                if (!JsonTree.SameJson(before, after)) changes.Add(new Change(path, before, after));
                break;
        }
    }
}
