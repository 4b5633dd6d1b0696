using Walkthrough.Checkpoints;
using Walkthrough.Tests.Architectures;
using Walkthrough.Tests.Tokens;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Inference;

/// <summary>A random-weight Mistral with the real Mistral tokenizer: real token texts, meaningless predictions.</summary>
internal static class TinyLanguageModels
{
    public static LanguageModel RandomMistral(int contextLength = 64, int seed = 7)
    {
        var config = ModelConfig.Parse($$"""
            {"model_type": "mistral", "vocab_size": 32000, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "intermediate_size": 64, "max_position_embeddings": {{contextLength}}, "rms_norm_eps": 1e-5,
             "sliding_window": 8, "tie_word_embeddings": true, "bos_token_id": 1, "eos_token_id": 2}
            """);
        return new LanguageModel("random-mistral", config, TinyModels.Build(config, seed), ReferenceTokenizers.Get("mistral-7b"), CPU, float32, int8: false);
    }

    /// <summary>Any tiny architecture config grown to the Mistral vocabulary, with the Mistral tokenizer.</summary>
    public static LanguageModel Random(ModelConfig config, int seed = 7)
    {
        var grown = config with { VocabularySize = 32000, BosTokenId = 1 };
        return new LanguageModel($"random-{config.ModelType}", grown, TinyModels.Build(grown, seed), ReferenceTokenizers.Get("mistral-7b"), CPU, float32, int8: false);
    }
}
