using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

/// <summary>Small configs of each architecture and models built from them with seeded random weights.</summary>
internal static class TinyModels
{
    public static ModelConfig Mistral(int? slidingWindow = 4, int layers = 2) => ModelConfig.Parse($$"""
        {"model_type": "mistral", "vocab_size": 50, "hidden_size": 32, "num_hidden_layers": {{layers}}, "num_attention_heads": 4,
         "num_key_value_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
         "rope_theta": 10000.0, "sliding_window": {{(slidingWindow is null ? "null" : slidingWindow.ToString())}}, "tie_word_embeddings": false}
        """);

    public static ModelConfig Llama() => ModelConfig.Parse("""
        {"model_type": "llama", "vocab_size": 50, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 4, "intermediate_size": 64, "max_position_embeddings": 64, "rms_norm_eps": 1e-6,
         "rope_theta": 500000.0, "tie_word_embeddings": true}
        """);

    public static ModelConfig Qwen2() => ModelConfig.Parse("""
        {"model_type": "qwen2", "vocab_size": 50, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 1, "intermediate_size": 64, "max_position_embeddings": 64, "rms_norm_eps": 1e-6,
         "rope_theta": 1000000.0, "tie_word_embeddings": false}
        """);

    public static ModelConfig Mpt(int heads = 6) => ModelConfig.Parse($$$"""
        {"model_type": "mpt", "vocab_size": 50, "d_model": 48, "n_layers": 2, "n_heads": {{{heads}}}, "expansion_ratio": 2,
         "max_seq_len": 64, "no_bias": true, "attn_config": {"alibi": true, "alibi_bias_max": 8, "clip_qkv": 0.5}}
        """);

    public static ModelConfig Gpt2() => ModelConfig.Parse("""
        {"model_type": "gpt2", "vocab_size": 50, "n_embd": 32, "n_layer": 2, "n_head": 4, "n_positions": 64, "layer_norm_epsilon": 1e-5}
        """);

    public static CausalLanguageModel Build(ModelConfig config, int seed = 7, bool int8 = false)
    {
        TorchRuntime.Ensure();
        var model = CausalLanguageModel.Create(config, float32, CPU, int8: false);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                using var noise = randn(parameter.shape, generator: generator) * 0.2;
                parameter.copy_(name.EndsWith("norm.weight") || name.Contains("ln_") || name.Contains("norm_") ? noise + 1 : noise);
            }
        }
        model.eval();
        return model;
    }

    public static Tensor Ids(params long[] ids) => tensor(ids, int64).unsqueeze(0);
}
