using System.Text.Json;
using System.Text.Json.Nodes;

namespace Walkthrough.Checkpoints;

/// <summary>Maps each architecture's key names onto <see cref="ModelConfig"/>, naming every required key that is missing.</summary>
internal static class ModelConfigReader
{
    public static ModelConfig From(JsonObject raw, string file)
    {
        var modelType = raw["model_type"]?.GetValue<string>()
            ?? throw new WalkthroughException($"{file}: \"model_type\" is missing, so the architecture is unknown. Supported: llama, mistral, qwen2, mpt, gpt2.");
        var keys = new Keys(raw, file);
        var config = modelType switch
        {
            "llama" => LlamaFamily(keys, Architecture.Llama, raw),
            "mistral" => LlamaFamily(keys, Architecture.Mistral, raw),
            "qwen2" => LlamaFamily(keys, Architecture.Qwen2, raw) with { AttentionBias = true },
            "mpt" => Mpt(keys, raw),
            "gpt2" => Gpt2(keys, raw),
            _ => throw new WalkthroughException(
                $"{file}: model_type \"{modelType}\" is not supported by Walkthrough. Supported: llama, mistral, qwen2, mpt, gpt2."),
        };
        keys.ThrowIfMissing();
        return config;
    }

    private static ModelConfig LlamaFamily(Keys keys, Architecture architecture, JsonObject raw)
    {
        var hidden = keys.Int("hidden_size");
        var heads = keys.Int("num_attention_heads");
        var sliding = architecture == Architecture.Mistral || keys.Bool("use_sliding_window", false) ? keys.OptionalInt("sliding_window") : null;
        return new ModelConfig
        {
            Architecture = architecture,
            ModelType = raw["model_type"]!.GetValue<string>(),
            VocabularySize = keys.Int("vocab_size"),
            HiddenSize = hidden,
            Layers = keys.Int("num_hidden_layers"),
            Heads = heads,
            KeyValueHeads = keys.OptionalInt("num_key_value_heads") ?? heads,
            HeadDim = keys.OptionalInt("head_dim") ?? (heads > 0 ? hidden / heads : 0),
            IntermediateSize = keys.Int("intermediate_size"),
            MaxPositions = keys.Int("max_position_embeddings"),
            NormEpsilon = keys.Double("rms_norm_eps", 1e-6),
            RopeTheta = keys.Double("rope_theta", 10000),
            RopeScaling = ReadRopeScaling(raw["rope_scaling"]),
            SlidingWindow = sliding,
            TiedEmbeddings = keys.Bool("tie_word_embeddings", false),
            AttentionBias = keys.Bool("attention_bias", false),
            BosTokenId = keys.OptionalInt("bos_token_id"),
            EosTokenIds = keys.IntList("eos_token_id"),
            TorchDtype = raw["torch_dtype"]?.GetValue<string>() ?? raw["dtype"]?.GetValue<string>(),
            Raw = raw,
        };
    }

    private static ModelConfig Mpt(Keys keys, JsonObject raw)
    {
        var hidden = keys.Int("d_model");
        var heads = keys.Int("n_heads");
        var attention = raw["attn_config"] as JsonObject;
        return new ModelConfig
        {
            Architecture = Architecture.Mpt,
            ModelType = "mpt",
            VocabularySize = keys.Int("vocab_size"),
            HiddenSize = hidden,
            Layers = keys.Int("n_layers"),
            Heads = heads,
            KeyValueHeads = heads,
            HeadDim = heads > 0 ? hidden / heads : 0,
            IntermediateSize = (int)(keys.Double("expansion_ratio", 4) * hidden),
            MaxPositions = keys.Int("max_seq_len"),
            NormEpsilon = keys.Double("layer_norm_epsilon", 1e-5),
            TiedEmbeddings = true, // MPT always reuses wte as its output head
            LinearBias = !keys.Bool("no_bias", true),
            ClipQkv = attention?["clip_qkv"] is JsonValue clip ? clip.GetValue<double>() : null,
            AlibiBiasMax = attention?["alibi_bias_max"] is JsonValue max ? max.GetValue<double>() : 8,
            EosTokenIds = keys.IntList("eos_token_id"),
            BosTokenId = keys.OptionalInt("bos_token_id"),
            TorchDtype = raw["torch_dtype"]?.GetValue<string>(),
            Raw = raw,
        };
    }

    private static ModelConfig Gpt2(Keys keys, JsonObject raw)
    {
        var hidden = keys.Int("n_embd");
        var heads = keys.Int("n_head");
        return new ModelConfig
        {
            Architecture = Architecture.Gpt2,
            ModelType = "gpt2",
            VocabularySize = keys.Int("vocab_size"),
            HiddenSize = hidden,
            Layers = keys.Int("n_layer"),
            Heads = heads,
            KeyValueHeads = heads,
            HeadDim = heads > 0 ? hidden / heads : 0,
            IntermediateSize = keys.OptionalInt("n_inner") ?? 4 * hidden,
            MaxPositions = keys.Int("n_positions"),
            NormEpsilon = keys.Double("layer_norm_epsilon", 1e-5),
            TiedEmbeddings = true,
            AttentionBias = true,
            LinearBias = true,
            BosTokenId = keys.OptionalInt("bos_token_id"),
            EosTokenIds = keys.IntList("eos_token_id"),
            TorchDtype = raw["torch_dtype"]?.GetValue<string>(),
            Raw = raw,
        };
    }

    private static RopeScaling? ReadRopeScaling(JsonNode? node)
    {
        if (node is not JsonObject scaling) return null;
        var type = (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default";
        var parameters = scaling.Where(p => p.Value is JsonValue v && v.TryGetValue<double>(out _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
        return new RopeScaling(type, parameters.GetValueOrDefault("factor", 1), parameters);
    }

    /// <summary>Reads keys and collects the names of the required ones that are missing, to report them all at once.</summary>
    private sealed class Keys(JsonObject raw, string file)
    {
        private readonly List<string> _missing = [];

        public int Int(string name)
        {
            if (raw[name] is JsonValue value && value.TryGetValue<int>(out var result)) return result;
            _missing.Add(name);
            return 0;
        }

        public int? OptionalInt(string name) => raw[name] is JsonValue value && value.TryGetValue<int>(out var result) ? result : null;

        public double Double(string name, double fallback) =>
            raw[name] is JsonValue value && value.TryGetValue<double>(out var result) ? result : fallback;

        public bool Bool(string name, bool fallback) =>
            raw[name] is JsonValue value && value.TryGetValue<bool>(out var result) ? result : fallback;

        public IReadOnlyList<int> IntList(string name) => raw[name] switch
        {
            JsonValue value when value.TryGetValue<int>(out var one) => [one],
            JsonArray array => array.Select(e => e!.GetValue<int>()).ToList(),
            _ => [],
        };

        public void ThrowIfMissing()
        {
            if (_missing.Count > 0)
                throw new WalkthroughException($"{file}: required key{(_missing.Count > 1 ? "s" : "")} missing: {string.Join(", ", _missing)}.");
        }
    }
}
