using Walkthrough;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace PeerBench;

/// <summary>
/// A model folder of a real shape with random weights, made once and kept outside the repository: speed does not
/// depend on the values, only on the shapes. Weights are stored in bfloat16 (half the disk) and loaded in the
/// benchmark's dtype; the Mistral tokenizer (32,000 tokens) stands in for the model's own when the sizes match.
/// </summary>
internal static class RandomModel
{
    public static string For(string shapeFolder, string cacheRoot)
    {
        var config = ModelConfig.Read(shapeFolder);
        var folder = Path.Combine(cacheRoot, Path.GetFileName(Path.GetFullPath(shapeFolder)));
        if (File.Exists(Path.Combine(folder, "model.safetensors"))) return folder;
        if (config.Architecture is not (Architecture.Llama or Architecture.Mistral))
            throw new WalkthroughException($"{shapeFolder}: random models are made for Llama and Mistral shapes, not {config.ModelType}.");
        var tokenizer = Tokenizer(config.VocabularySize);
        Directory.CreateDirectory(folder);
        Console.Error.WriteLine($"making {folder}: {config.ModelType}, {config.Layers} layers × {config.HiddenSize}, random bfloat16 weights (once)");
        using (var scope = NewDisposeScope())
        {
            var generator = new TorchSharp.torch.Generator(15);
            Tensor Normal(params long[] shape) => (normal(0, 0.02, shape, generator: generator)).to(bfloat16);
            Tensor Ones(long size) => ones(size, bfloat16);
            var tensors = new List<(string, Tensor)> { ("model.embed_tokens.weight", Normal(config.VocabularySize, config.HiddenSize)) };
            var (h, q, kv, ff) = (config.HiddenSize, (long)config.Heads * config.HeadDim, (long)config.KeyValueHeads * config.HeadDim, config.IntermediateSize);
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"model.layers.{i}.";
                tensors.Add((p + "input_layernorm.weight", Ones(h)));
                tensors.Add((p + "self_attn.q_proj.weight", Normal(q, h)));
                tensors.Add((p + "self_attn.k_proj.weight", Normal(kv, h)));
                tensors.Add((p + "self_attn.v_proj.weight", Normal(kv, h)));
                tensors.Add((p + "self_attn.o_proj.weight", Normal(h, q)));
                tensors.Add((p + "post_attention_layernorm.weight", Ones(h)));
                tensors.Add((p + "mlp.gate_proj.weight", Normal(ff, h)));
                tensors.Add((p + "mlp.up_proj.weight", Normal(ff, h)));
                tensors.Add((p + "mlp.down_proj.weight", Normal(h, ff)));
            }
            tensors.Add(("model.norm.weight", Ones(h)));
            if (!config.TiedEmbeddings) tensors.Add(("lm_head.weight", Normal(config.VocabularySize, h)));
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors.partial-model"), tensors);
        }
        File.Copy(Path.Combine(shapeFolder, "config.json"), Path.Combine(folder, "config.json"), overwrite: true);
        foreach (var file in Directory.GetFiles(tokenizer, "*.json")) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "README.md"),
            $"Random weights in the shape of {shapeFolder} (made by tools/PeerBench for speed figures only; the text it writes means nothing).\n");
        File.Move(Path.Combine(folder, "model.safetensors.partial-model"), Path.Combine(folder, "model.safetensors"));
        return folder;
    }

    private static string Tokenizer(int vocabulary)
    {
        var mistral = KitData.DefaultTokenizer;
        var size = Walkthrough.Tokens.Tokenizer.Load(mistral).VocabularySize;
        return size == vocabulary ? mistral
            : throw new WalkthroughException($"This shape has {vocabulary:N0} tokens; the only tokenizer shipped for random models has {size:N0} (data/tokenizers/mistral-7b).");
    }
}
