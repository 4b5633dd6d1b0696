using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Checkpoints;
using Walkthrough.Fuzz.Json;
using static TorchSharp.torch;

namespace Walkthrough.Fuzz;

/// <summary>How a case's folder holds the model: one weights file, shards with an index, or a SentencePiece tokenizer.</summary>
internal enum Layout
{
    Single,
    Sharded,
    SentencePiece,
}

/// <summary>
/// The pristine inputs every case starts from, as bytes: the bundled model data/models/walkthrough-tiny as it is
/// ("tiny"), or "mini", made from it for speed — its first 1,024 tokens (with the merges among them), 2 of its 6
/// layers, and the leading 64 of its 192 dimensions, sliced from its own weights. Shards are the same weights split
/// in two with an index, as transformers' save_pretrained writes them; the SentencePiece tokenizer is Mistral's
/// tokenizer.model from tests/data, whose ids are the bundled tokenizer.json's.
/// </summary>
internal sealed class BaseModel
{
    public const string IndexFile = "model.safetensors.index.json";
    public static readonly string[] ShardNames = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"];

    private BaseModel(string name, byte[] config, byte[] weights, byte[] tokenizer, byte[] tokenizerConfig, byte[] sentencePiece)
    {
        Name = name;
        Config = config;
        Weights = weights;
        Tokenizer = tokenizer;
        TokenizerConfig = tokenizerConfig;
        SentencePiece = sentencePiece;
        var layout = SafetensorsLayout.Of(weights);
        var names = layout.Tensors.Select(t => t.Name).ToArray();
        var first = names.Take(names.Length / 2).ToHashSet();
        var second = names.Skip(names.Length / 2).ToHashSet();
        Shards = [layout.Subset(first), layout.Subset(second)];
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = layout.Data.Length },
            ["weight_map"] = new JsonObject(names.Order(StringComparer.Ordinal)
                .Select(n => KeyValuePair.Create(n, (JsonNode?)JsonValue.Create(ShardNames[first.Contains(n) ? 0 : 1])))),
        };
        Index = Encoding.UTF8.GetBytes(index.ToJsonString(JsonTree.Indented));
    }

    public string Name { get; }

    public byte[] Config { get; }

    public byte[] Weights { get; }

    public byte[] Tokenizer { get; }

    public byte[] TokenizerConfig { get; }

    public byte[] SentencePiece { get; }

    public byte[][] Shards { get; }

    public byte[] Index { get; }

    public static BaseModel Named(string name) => name switch
    {
        "tiny" => Tiny(),
        "mini" => Mini(),
        _ => throw new ArgumentException($"No base model \"{name}\": choose tiny (the bundled model) or mini (made from it, faster)."),
    };

    /// <summary>Writes the pristine folder; cases then change it.</summary>
    public void WriteTo(string folder, Layout layout)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "config.json"), Config);
        File.WriteAllBytes(Path.Combine(folder, "tokenizer_config.json"), TokenizerConfig);
        if (layout == Layout.SentencePiece) File.WriteAllBytes(Path.Combine(folder, "tokenizer.model"), SentencePiece);
        else File.WriteAllBytes(Path.Combine(folder, "tokenizer.json"), Tokenizer);
        if (layout == Layout.Sharded)
        {
            File.WriteAllBytes(Path.Combine(folder, IndexFile), Index);
            for (var i = 0; i < Shards.Length; i++) File.WriteAllBytes(Path.Combine(folder, ShardNames[i]), Shards[i]);
        }
        else
        {
            File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), Weights);
        }
    }

    private static string Bundled(string file) => Path.Combine(KitData.DefaultModel, file);

    private static byte[] SentencePieceModel() =>
        File.ReadAllBytes(Path.Combine(KitData.Root, "..", "tests", "data", "tokenizers", "mistral-sentencepiece", "tokenizer.model"));

    private static BaseModel Tiny() => new("tiny",
        File.ReadAllBytes(Bundled("config.json")), File.ReadAllBytes(Bundled("model.safetensors")), File.ReadAllBytes(Bundled("tokenizer.json")),
        File.ReadAllBytes(Bundled("tokenizer_config.json")), SentencePieceModel());

    private const int MiniVocabulary = 1024;

    private static BaseModel Mini()
    {
        Walkthrough.Native.TorchRuntime.Ensure();  // before any other use of torch: it may need the libstdc++ patch
        var config = (JsonObject)JsonTree.Parse(File.ReadAllText(Bundled("config.json")))!;
        (string Key, int Value)[] sizes =
        [
            ("vocab_size", MiniVocabulary), ("hidden_size", 64), ("intermediate_size", 128), ("num_hidden_layers", 2),
            ("num_attention_heads", 4), ("num_key_value_heads", 2), ("head_dim", 16),
        ];
        foreach (var (key, value) in sizes) config[key] = value;

        var tensors = new List<(string, Tensor)>();
        using var scope = NewDisposeScope();
        using (var checkpoint = Checkpoint.Open(Bundled("model.safetensors")))
        {
            foreach (var tensor in checkpoint.Tensors)
            {
                var layer = tensor.Name.StartsWith("model.layers.", StringComparison.Ordinal) ? int.Parse(tensor.Name.Split('.')[2]) : -1;
                if (layer >= 2) continue;
                var stored = checkpoint.ReadTensor(tensor.Name, ScalarType.BFloat16, CPU);
                tensors.Add((tensor.Name, Slice(tensor.Name, stored).contiguous()));
            }
        }
        var weights = Path.GetTempFileName();
        try
        {
            SafetensorsWriter.Write(weights, tensors, new Dictionary<string, string> { ["format"] = "pt" });
            return new BaseModel("mini", Encoding.UTF8.GetBytes(config.ToJsonString(JsonTree.Indented)), File.ReadAllBytes(weights),
                MiniTokenizer(), File.ReadAllBytes(Bundled("tokenizer_config.json")), SentencePieceModel());
        }
        finally
        {
            File.Delete(weights);
        }
    }

    // The leading block of each weight that the mini sizes need: rows (out features) and columns (in features).
    private static Tensor Slice(string name, Tensor weight)
    {
        long rows = name switch
        {
            "model.embed_tokens.weight" => MiniVocabulary,
            _ when name.EndsWith("k_proj.weight") || name.EndsWith("v_proj.weight") => 32,
            _ when name.EndsWith("gate_proj.weight") || name.EndsWith("up_proj.weight") => 128,
            _ => 64,
        };
        var sliced = weight.narrow(0, 0, rows);
        return weight.dim() == 1 ? sliced : sliced.narrow(1, 0, name.EndsWith("down_proj.weight") ? 128 : 64);
    }

    // The bundled tokenizer.json cut to the first 1,024 ids, keeping the merges whose parts and result are among them.
    private static byte[] MiniTokenizer()
    {
        var tokenizer = (JsonObject)JsonTree.Parse(File.ReadAllText(Bundled("tokenizer.json")))!;
        var model = tokenizer["model"]!.AsObject();
        var vocabulary = model["vocab"]!.AsObject().Where(p => p.Value!.GetValue<int>() < MiniVocabulary)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value!.GetValue<int>()))).ToList();
        var kept = vocabulary.Select(p => p.Key).ToHashSet();
        var merges = model["merges"]!.AsArray().Select(m => m!.GetValue<string>())
            .Where(m => m.Split(' ') is [var a, var b] && kept.Contains(a) && kept.Contains(b) && kept.Contains(a + b))
            .Select(m => (JsonNode?)JsonValue.Create(m)).ToArray();
        model["vocab"] = new JsonObject(vocabulary);
        model["merges"] = new JsonArray(merges);
        return Encoding.UTF8.GetBytes(tokenizer.ToJsonString(JsonTree.Compact));
    }
}
