namespace Walkthrough.Train;

/// <summary>
/// Everything that decides what walkthrough-tiny becomes, in one place: the architecture (Mistral's, small) and
/// the training run. Changing a number here and retraining is how the model card's figures change.
/// </summary>
internal static class TinyModelRecipe
{
    public const int Seed = 20240219; // the day the seed notebook ran out of memory

    /// <summary>Mistral-7B's config.json with every size scaled down; the vocabulary stays Mistral's own.</summary>
    public const string ConfigJson = """
        {
          "architectures": ["MistralForCausalLM"],
          "model_type": "mistral",
          "vocab_size": 32000,
          "hidden_size": 192,
          "intermediate_size": 512,
          "num_hidden_layers": 6,
          "num_attention_heads": 6,
          "num_key_value_heads": 2,
          "head_dim": 32,
          "hidden_act": "silu",
          "max_position_embeddings": 512,
          "sliding_window": 256,
          "rms_norm_eps": 1e-05,
          "rope_theta": 10000.0,
          "tie_word_embeddings": true,
          "attention_dropout": 0.0,
          "initializer_range": 0.02,
          "bos_token_id": 1,
          "eos_token_id": 2,
          "torch_dtype": "bfloat16",
          "use_cache": true
        }
        """;

    public const int SequenceLength = 256;
    public const int BatchSize = 8;          // 2,048 tokens a step
    public const double PeakLearningRate = 3e-3;
    public const double MinLearningRate = 3e-4;
    public const int WarmupSteps = 40;
    public const double WeightDecay = 0.05;
    public const double GradientClip = 1.0;
    public const int CorpusDocuments = 60_000;
    public const int Steps = 700;            // about 40 minutes on 2 CPU cores
}
