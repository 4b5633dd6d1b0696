using System.Text.Json.Nodes;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Tests.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>Loading model folders: every architecture round-trips through safetensors, and bad folders say what is wrong.</summary>
public sealed class LanguageModelLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("walkthrough-load-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Architectures => new(["mistral", "llama", "mpt", "gpt2"]);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_saved_model_loads_back_to_the_same_logits(string architecture)
    {
        var config = Config(architecture);
        using var original = TinyModels.Build(config);
        Save(original, config, _folder);

        using var loaded = LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" });
        using var scope = NewDisposeScope();
        var ids = TinyModels.Ids(1, 7, 3, 22, 9);

        var expected = original.forward(ids, null);
        var actual = loaded.Module.forward(ids, null);
        Assert.Equal(0, (expected - actual).abs().max().item<float>());
    }

    [Fact]
    public void Gpt2_checkpoints_without_the_transformer_prefix_load_too()
    {
        var config = TinyModels.Gpt2();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder, name => name.Replace("transformer.", ""));

        using var loaded = LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" });

        Assert.Equal(original.parameters().Sum(p => p.NumberOfElements), loaded.ParameterCount);
    }

    [Fact]
    public void A_missing_tensor_is_named_with_its_file()
    {
        var config = TinyModels.Mistral();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder, skip: "model.layers.1.mlp.up_proj.weight");

        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" }));
        Assert.Contains("\"model.layers.1.mlp.up_proj.weight\" is missing from the checkpoint (model.safetensors)", error.Message);
        Assert.Contains("download the model again", error.Message);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named_with_both_shapes()
    {
        var config = TinyModels.Mistral();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder, reshape: ("model.norm.weight", [16]));

        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" }));
        Assert.Contains("model.norm.weight", error.Message);
        Assert.Contains("[32]", error.Message);
        Assert.Contains("[16]", error.Message);
    }

    [Fact]
    public void A_checkpoint_with_more_layers_than_the_config_is_refused()
    {
        var config = TinyModels.Mistral(layers: 2);
        using var original = TinyModels.Build(config);
        Save(original, TinyModels.Mistral(layers: 1), _folder, weightsOf: original);

        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" }));
        Assert.Contains("model.safetensors holds layer 1 ('model.layers.1.", error.Message);
        Assert.Contains("but config.json's num_hidden_layers is 1", error.Message);
    }

    [Fact]
    public void Weights_stored_as_integers_are_refused()
    {
        var config = TinyModels.Mistral();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder, integer: "model.norm.weight");

        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" }));
        Assert.Contains("tensor 'model.norm.weight' is stored as I32, but a model's weights are floating-point numbers", error.Message);
    }

    [Fact]
    public void A_tokenizer_with_more_tokens_than_the_embedding_is_refused()
    {
        var config = TinyModels.Mistral();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder);
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), TokenizerJson(config.VocabularySize + 1));

        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" }));
        Assert.Contains("tokenizer.json has 51 tokens but config.json's vocab_size is 50", error.Message);
    }

    [Fact]
    public void An_empty_folder_name_is_refused_with_what_to_give()
    {
        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(" "));
        Assert.Contains("No model folder given (\" \"): give a folder with config.json", error.Message);
    }

    [Fact]
    public void An_unsupported_model_type_lists_the_supported_ones()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"model_type": "falcon", "hidden_size": 8}""");
        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder));
        Assert.Contains("\"model_type\" is \"falcon\", which Walkthrough does not run", error.Message);
        Assert.Contains("llama, mistral, qwen2, mpt, gpt2", error.Message);
    }

    [Fact]
    public void Missing_config_keys_are_all_named()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"model_type": "mistral", "hidden_size": 8}""");
        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder));
        Assert.Contains("required keys missing: ", error.Message);
        foreach (var key in new[] { "vocab_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings" })
            Assert.Contains(key, error.Message);
        Assert.DoesNotContain("hidden_size,", error.Message);
    }

    [Fact]
    public void A_missing_folder_says_what_a_model_folder_holds()
    {
        var error = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(Path.Combine(_folder, "nope")));
        Assert.Contains("config.json, model.safetensors and tokenizer.json", error.Message);
    }

    [Fact]
    public void An_unknown_device_or_dtype_is_refused_with_the_choices()
    {
        var config = TinyModels.Llama();
        using var original = TinyModels.Build(config);
        Save(original, config, _folder);

        Assert.Contains("use cpu, cuda or cuda:N", Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "tpu" })).Message);
        Assert.Contains("use float32, bfloat16 or float16", Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu", Dtype = "fp8" })).Message);
        if (!cuda.is_available())
            Assert.Contains("TorchSharp sees no CUDA GPU", Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cuda" })).Message);
    }

    internal static ModelConfig Config(string architecture) => architecture switch
    {
        "mistral" => TinyModels.Mistral(),
        "llama" => TinyModels.Llama(),
        "mpt" => TinyModels.Mpt(),
        _ => TinyModels.Gpt2(),
    };

    /// <summary>Writes a model folder: config.json, model.safetensors (optionally renamed, missing, reshaped or integer tensors, or another model's), a tokenizer.</summary>
    internal static void Save(CausalLanguageModel model, ModelConfig config, string folder,
        Func<string, string>? rename = null, string? skip = null, (string Name, long[] Shape)? reshape = null,
        CausalLanguageModel? weightsOf = null, string? integer = null)
    {
        model = weightsOf ?? model;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.Raw.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), TokenizerJson(config.VocabularySize));
        using var scope = NewDisposeScope();
        var tensors = model.named_parameters()
            .Where(p => p.name != skip)
            .Select(p => (Name: (rename ?? (n => n))(p.name),
                          Tensor: reshape is { } r && r.Name == p.name ? p.parameter.detach().flatten()[..(int)r.Shape[0]].contiguous()
                              : p.name == integer ? p.parameter.detach().to(int32).contiguous()
                              : p.parameter.detach().contiguous()))
            .ToList();
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors);
    }

    /// <summary>A tokenizer with exactly the model's vocabulary (one piece per id, no merges): a bigger one would have ids the embedding lacks.</summary>
    internal static string TokenizerJson(int vocabulary)
    {
        var pieces = new[] { "<unk>", "<s>", "</s>" }.Concat(Enumerable.Range(3, vocabulary - 3).Select(i => $"t{i}"));
        var vocab = string.Join(", ", pieces.Select((piece, id) => $"\"{piece}\": {id}"));
        return """{"added_tokens": [], "model": {"type": "BPE", "unk_token": "<unk>", "vocab": {""" + vocab + """}, "merges": []}}""";
    }
}
