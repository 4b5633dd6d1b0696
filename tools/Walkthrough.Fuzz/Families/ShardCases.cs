using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// A checkpoint in two shards with model.safetensors.index.json: the index mutated (judged by <see cref="IndexRules"/>),
/// a shard missing, cut short or damaged as a single file would be, a tensor in both shards, an unlisted extra file.
/// </summary>
internal sealed class ShardCases : CaseSource
{
    private static readonly IndexRules Rules = new();

    private readonly BaseModel _model;
    private readonly JsonNode? _index;
    private readonly JsonMutator _mutator;
    private readonly SafetensorsCases[] _shards;

    public ShardCases(BaseModel model)
    {
        _model = model;
        _index = JsonTree.Parse(Encoding.UTF8.GetString(model.Index));
        _mutator = new JsonMutator(model.Index, Rules.Maps, indented: true);
        _shards = [.. BaseModel.ShardNames.Select((name, i) => new SafetensorsCases(model, name, model.Shards[i]))];
    }

    public override Family Family => Family.Shards;

    public override FuzzCase Make(int index, Random random)
    {
        var files = new[] { BaseModel.IndexFile };
        switch (index % 6)
        {
            case 0 or 1 or 2:
                var mutation = _mutator.Make(index / 6, random);
                var bytes = mutation.Bytes;
                return new FuzzCase($"index: {mutation.Description}", mutation.Judgement ?? Rules.Judge(bytes, _index), files,
                    folder => File.WriteAllBytes(Path.Combine(folder, BaseModel.IndexFile), bytes));
            case 3:
                var shard = random.Next(_shards.Length);
                var damaged = _shards[shard].Make(random.Next(1000), random);
                return damaged with { Description = $"{BaseModel.ShardNames[shard]}: {damaged.Description}" };
            case 4:
                var missing = BaseModel.ShardNames[random.Next(2)];
                return new FuzzCase($"{missing} missing", Judgement.Refuse("a shard the index lists is missing", missing), [BaseModel.IndexFile, missing],
                    folder => File.Delete(Path.Combine(folder, missing)));
            default:
                return Doubled(random);
        }
    }

    // Both shards hold one tensor; or a file beside them that the index does not list (which must not matter).
    private FuzzCase Doubled(Random random)
    {
        if (random.Next(2) == 0)
            return new FuzzCase("an unlisted model-00003-of-00002.safetensors beside the shards", Judgement.Harmless, [BaseModel.IndexFile],
                folder => File.WriteAllBytes(Path.Combine(folder, "model-00003-of-00002.safetensors"), _model.Shards[0]));
        var first = SafetensorsLayout.Of(_model.Shards[0]);
        var second = SafetensorsLayout.Of(_model.Shards[1]);
        var moved = first.Tensors[random.Next(first.Tensors.Count)].Name;
        var merged = MergeInto(second, first, moved);
        return new FuzzCase($"'{moved}' in both shards", Judgement.Refuse($"'{moved}' is in both shards", moved), [BaseModel.IndexFile, .. BaseModel.ShardNames],
            folder => File.WriteAllBytes(Path.Combine(folder, BaseModel.ShardNames[1]), merged));
    }

    // The second shard with one tensor of the first appended after its own data.
    private static byte[] MergeInto(SafetensorsLayout target, SafetensorsLayout source, string name)
    {
        var tensor = source.Tensors.Single(t => t.Name == name);
        var header = target.HeaderJson;
        var begin = target.Data.Length;
        header[name] = new JsonObject
        {
            ["dtype"] = tensor.Dtype,
            ["shape"] = new JsonArray(tensor.Shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["data_offsets"] = new JsonArray(begin, begin + (tensor.End - tensor.Begin)),
        };
        var data = target.Data.Concat(source.Data[(int)tensor.Begin..(int)tensor.End]).ToArray();
        return (target.WithHeader(Encoding.UTF8.GetBytes(header.ToJsonString(JsonTree.Compact))) with { Data = data }).Bytes();
    }
}
