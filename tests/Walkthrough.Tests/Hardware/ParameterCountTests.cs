using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Hardware;

public sealed class ParameterCountTests
{
    internal static ModelConfig Config(string folder) => ModelConfig.Read(RepoPaths.Data("configs", folder));

    // Published counts: what the released checkpoints hold, tensor by tensor.
    // - Mistral-7B-v0.1: 7,241,732,096 — sum(p.numel()) of mistralai/Mistral-7B-v0.1 as public training reports print
    //   it ("Measured: 7,241,732,096 parameters, 32 layers, hidden size 4096, vocab 32,000"), and the same for its
    //   fine-tunes (HarmBench's Mistral-7b classifier: MistralForCausalLM, 7,241,732,096).
    // - Llama-2-7b-hf: 6,738,415,616 — PEFT's print_trainable_parameters() on meta-llama/Llama-2-7b-hf prints
    //   "all params: 6,738,415,616"; model cards built from its safetensors metadata state the same number.
    // - TinyLlama-1.1B-Chat-v1.0: 1,100,048,384 — sum(p.numel()) printed for TinyLlama/TinyLlama-1.1B-Chat-v1.0 in
    //   public benchmarks and LoRA reports ("all params: 1,100,048,384"); a reference for TinyLlama v1.1, the same architecture, agrees.
    // - gpt2: 124,439,808 — OpenAI's "124M" model (the name in openai/gpt-2's download_model.py, issue #209), counted
    //   by Hugging Face's num_parameters() and nanoGPT with the head tied to wte.
    // - mpt-7b-instruct: 6,649,286,656 — the checkpoint's pytorch_model.bin.index.json states total_size
    //   13,298,573,312 bytes of bfloat16, i.e. 13,298,573,312 / 2 parameters; the model card rounds it to 6.7B.
    [Theory]
    [InlineData("mistral-7b", 7_241_732_096L)]
    [InlineData("llama-2-7b", 6_738_415_616L)]
    [InlineData("tinyllama-1.1b-chat", 1_100_048_384L)]
    [InlineData("gpt2", 124_439_808L)]
    [InlineData("mpt-7b-instruct", 6_649_286_656L)]
    public void Counts_from_config_json_equal_the_published_ones(string folder, long published)
    {
        Assert.Equal(published, ParameterCount.Of(Config(folder)).Total);
    }

    [Fact]
    public void Mpt_30b_instruct_matches_its_model_card()
    {
        // MosaicML's card for mpt-30b-instruct (and mpt-30b) gives "n_parameters | 29.95B" beside n_layers 48,
        // n_heads 64, d_model 7168, vocab size 50432. By hand: wte 50,432 · 7,168 = 361,496,576; per layer
        // Wqkv 3·7168² + out_proj 7168² + up 4·7168² + down 4·7168² = 12·7168² = 616,562,688, two LayerNorms without
        // bias 2·7,168 = 14,336, so 616,577,024 × 48 = 29,595,697,152; norm_f 7,168; the head is tied.
        // 361,496,576 + 29,595,697,152 + 7,168 = 29,957,200,896, which the card truncates to 29.95B.
        var count = ParameterCount.Of(Config("mpt-30b-instruct")).Total;
        Assert.Equal(29_957_200_896L, count);
        Assert.Equal(29.95, Math.Floor(count / 1e7) / 100);
    }

    [Fact]
    public void Mistral_parts_add_up_by_hand()
    {
        var count = ParameterCount.Of(Config("mistral-7b"));

        // Embeddings 32,000 · 4,096; attention per layer q 4096·4096 + k, v 1024·4096 each + o 4096·4096 = 41,943,040;
        // MLP 3 · 14,336 · 4,096 = 176,160,768; norms 2 · 4,096 per layer + 4,096; untied head 32,000 · 4,096.
        Assert.Equal(131_072_000L, count.Of(ModelPart.Embeddings));
        Assert.Equal(41_943_040L * 32, count.Of(ModelPart.Attention));
        Assert.Equal(176_160_768L * 32, count.Of(ModelPart.Mlp));
        Assert.Equal(8_192L * 32 + 4_096, count.Of(ModelPart.Norms));
        Assert.Equal(131_072_000L, count.Of(ModelPart.OutputHead));
    }

    [Fact]
    public void Tied_heads_are_counted_once()
    {
        Assert.Equal(0, ParameterCount.Of(Config("gpt2")).Of(ModelPart.OutputHead));
        Assert.Equal(0, ParameterCount.Of(Config("mpt-7b-instruct")).Of(ModelPart.OutputHead));
        var tied = Config("tinyllama-1.1b-chat") with { TiedEmbeddings = true };
        Assert.Equal(1_100_048_384L - 32_000 * 2_048, ParameterCount.Of(tied).Total);
    }

    [Fact]
    public void Qwen2_counts_its_q_k_v_biases()
    {
        var config = Qwen2();
        // By hand: embeddings 50·32 (tied); per layer q 32·32 + k, v 16·32 each + o 32·32 = 3,072, biases 32 + 16 + 16 = 64,
        // MLP 3·64·32 = 6,144, norms 2·32; final norm 32. Two layers.
        Assert.Equal(50 * 32 + 2 * (3_072 + 64 + 6_144 + 64) + 32, ParameterCount.Of(config).Total);
    }

    [Fact]
    public void Gpt2_counts_biases_and_learned_positions()
    {
        var count = ParameterCount.Of(Config("gpt2"));
        // wte 50,257 · 768 + wpe 1,024 · 768.
        Assert.Equal(38_597_376L + 786_432, count.Of(ModelPart.Embeddings));
        // Per layer c_attn 768·2304 + 2304 and c_proj 768·768 + 768.
        Assert.Equal(12 * (1_771_776L + 590_592), count.Of(ModelPart.Attention));
        // Per layer ln_1, ln_2 weight and bias; ln_f weight and bias.
        Assert.Equal(12 * 4 * 768L + 2 * 768, count.Of(ModelPart.Norms));
    }

    // The kit's own modules, built from small configs, hold exactly the parameters the planner counts — and, with
    // 8-bit Linear layers, exactly the bytes the int8 convention says.
    [Theory]
    [InlineData("mistral")]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("mpt")]
    [InlineData("gpt2")]
    public void Counts_equal_the_kits_modules(string architecture)
    {
        TorchRuntime.Ensure();
        var config = Small(architecture);
        using var model = CausalLanguageModel.Create(config, float32, CPU, int8: false);
        Assert.Equal(model.parameters().Sum(p => p.NumberOfElements), ParameterCount.Of(config).Total);
    }

    [Theory]
    [InlineData("mistral")]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("mpt")]
    public void Int8_bytes_equal_the_kits_int8_modules(string architecture)
    {
        TorchRuntime.Ensure();
        var config = Small(architecture);
        using var model = CausalLanguageModel.Create(config, float16, CPU, int8: true);
        var bytes = model.parameters().Sum(p => p.NumberOfElements * p.ElementSize);
        Assert.Equal(bytes, WeightStorage.Bytes(ParameterCount.Of(config), Dtype.Int8));
    }

    private static ModelConfig Small(string architecture) => architecture switch
    {
        "mistral" => Tests.Architectures.TinyModels.Mistral(),
        "llama" => Tests.Architectures.TinyModels.Llama(),
        "qwen2" => Qwen2(),
        "mpt" => Tests.Architectures.TinyModels.Mpt(),
        _ => Tests.Architectures.TinyModels.Gpt2(),
    };

    private static ModelConfig Qwen2() => ModelConfig.Parse("""
        {"model_type": "qwen2", "vocab_size": 50, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64, "rms_norm_eps": 1e-6,
         "rope_theta": 1000000.0, "tie_word_embeddings": true}
        """);
}
