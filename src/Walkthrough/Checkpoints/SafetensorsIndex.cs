using System.Text.Json;
using Walkthrough.Json;

namespace Walkthrough.Checkpoints;

/// <summary>
/// <c>model.safetensors.index.json</c>: how a checkpoint too big for one file is split into shards. Its
/// "weight_map" names, for every tensor, the shard file that holds it
/// (<c>"model.norm.weight": "model-00002-of-00002.safetensors"</c>).
/// </summary>
internal sealed class SafetensorsIndex
{
    public const string FileName = "model.safetensors.index.json";

    private SafetensorsIndex(string path, IReadOnlyDictionary<string, string> weightMap)
    {
        Path = path;
        WeightMap = weightMap;
    }

    public string Path { get; }

    /// <summary>Tensor name → shard file name, relative to the index's folder.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The shard files in the order they first appear, as full paths.</summary>
    public IReadOnlyList<string> Shards => WeightMap.Values.Distinct()
        .Select(shard => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, shard)).ToArray();

    public static SafetensorsIndex Read(string path)
    {
        const string Fix = "download it again";
        using (var document = StrictJson.Read(path, Fix, maxDepth: 16))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
                throw new WalkthroughException($"{path} has no \"weight_map\" object naming each tensor's shard: {Fix}.");

            var weightMap = new Dictionary<string, string>();
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString() is not { Length: > 0 } shard)
                    throw new WalkthroughException($"{path}: \"weight_map\" maps tensor '{entry.Name}' to {JsonSerializer.Serialize(entry.Value)}, not a shard file name: {Fix}.");
                // A shard name is a file beside the index; anything else would read outside the model folder.
                if (System.IO.Path.GetFileName(shard) != shard)
                    throw new WalkthroughException($"{path}: \"weight_map\" maps tensor '{entry.Name}' to \"{shard}\", which is not a file name in the model folder: {Fix}.");
                if (!weightMap.TryAdd(entry.Name, shard))
                    throw new WalkthroughException($"{path}: tensor '{entry.Name}' is listed twice in \"weight_map\": {Fix}.");
            }
            if (weightMap.Count == 0)
                throw new WalkthroughException($"{path}: \"weight_map\" lists no tensors: {Fix}.");
            return new SafetensorsIndex(path, weightMap);
        }
    }
}
