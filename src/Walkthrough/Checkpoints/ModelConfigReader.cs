using System.Text.Json;
using System.Text.Json.Nodes;
using Walkthrough.Json;

namespace Walkthrough.Checkpoints;

/// <summary>
/// Maps each architecture's key names onto <see cref="ModelConfig"/>, checking every number before anything is built
/// from it: its JSON type (a size is a whole number, an epsilon a finite number), its range, and how the numbers fit
/// together (the key/value heads divide the query heads, the heads divide the width). Required keys that are missing
/// are named all at once.
/// </summary>
internal static class ModelConfigReader
{
    public const string Fix = "correct it in config.json, or download config.json again from the model's repository";

    public const string Supported = "llama, mistral, qwen2, mpt, gpt2";

    // Bounds far above any published model (the widest have 16,384 dimensions, 128 heads, 256k tokens, 10M positions)
    // and low enough that the planner's products (parameters, bytes, a whole context's KV cache) fit in a long.
    private const int MaxVocabulary = 1 << 24;
    private const int MaxHidden = 1 << 17;
    private const int MaxIntermediate = 1 << 19;
    private const int MaxLayers = 1 << 12;
    private const int MaxHeads = 1 << 10;
    private const int MaxHeadDim = 1 << 10;
    private const int MaxPositions = 1 << 24;

    public static ModelConfig From(JsonDocument document, string file)
    {
        var root = new JsonField(file, document.RootElement, Fix);
        if (root.Kind != JsonValueKind.Object)
            throw root.Error($"is {root.Describe()}, not a JSON object {{ ... }} of the model's settings", "config.json comes from the model's repository — download it again");
        var type = root["model_type"];
        if (type.IsMissing)
            throw type.Error($"is missing, so the architecture is unknown (supported: {Supported})", "add it, or download config.json again");
        var modelType = type.String();
        var keys = new Keys(root);
        var raw = (JsonObject)JsonNode.Parse(document.RootElement.GetRawText())!;
        return modelType switch
        {
            "llama" => LlamaFamily(keys, Architecture.Llama, modelType, raw),
            "mistral" => LlamaFamily(keys, Architecture.Mistral, modelType, raw),
            "qwen2" => LlamaFamily(keys, Architecture.Qwen2, modelType, raw) with { AttentionBias = true },
            "mpt" => Mpt(keys, raw),
            "gpt2" => Gpt2(keys, raw),
            _ => throw type.Error($"is \"{modelType}\", which Walkthrough does not run (supported: {Supported})", "use a model of a supported architecture"),
        };
    }

    /// <summary>The sizes that shape the weights, under the names this architecture's config.json gives them.</summary>
    public static IReadOnlyList<(string Key, long Value)> Sizes(ModelConfig c) => c.Architecture switch
    {
        Architecture.Mpt => [("vocab_size", c.VocabularySize), ("d_model", c.HiddenSize), ("n_layers", c.Layers), ("n_heads", c.Heads), ("expansion_ratio × d_model", c.IntermediateSize)],
        Architecture.Gpt2 => [("vocab_size", c.VocabularySize), ("n_embd", c.HiddenSize), ("n_layer", c.Layers), ("n_head", c.Heads), ("n_inner", c.IntermediateSize), ("n_positions", c.MaxPositions)],
        _ => [("vocab_size", c.VocabularySize), ("hidden_size", c.HiddenSize), ("intermediate_size", c.IntermediateSize), ("num_hidden_layers", c.Layers),
            ("num_attention_heads", c.Heads), ("num_key_value_heads", c.KeyValueHeads), ("head_dim", c.HeadDim)],
    };

    private static ModelConfig LlamaFamily(Keys keys, Architecture architecture, string modelType, JsonObject raw)
    {
        var root = keys.Root;
        var hidden = keys.Size("hidden_size", MaxHidden);
        var heads = keys.Size("num_attention_heads", MaxHeads);
        var vocabulary = keys.Size("vocab_size", MaxVocabulary);
        var layers = keys.Size("num_hidden_layers", MaxLayers);
        var intermediate = keys.Size("intermediate_size", MaxIntermediate);
        var positions = keys.Size("max_position_embeddings", MaxPositions);
        keys.ThrowIfMissing();
        var kvHeads = root["num_key_value_heads"].OptionalInt(1, heads, $"but it must be from 1 to num_attention_heads ({heads})") ?? heads;
        if (heads % kvHeads != 0)
            throw root["num_key_value_heads"].Error($"is {kvHeads}, which does not divide num_attention_heads ({heads}): every key/value head must serve the same number of query heads");
        var headDim = HeadDim(root, hidden, heads, "hidden_size", "num_attention_heads");
        if (headDim % 2 != 0)
            throw root[root["head_dim"].IsMissing ? "num_attention_heads" : "head_dim"].Error($"gives heads of {headDim} dimensions, an odd number: rotary embeddings turn dimensions in pairs");
        var activation = root["hidden_act"].OptionalString() ?? "silu";
        if (activation is not ("silu" or "swish"))
            throw root["hidden_act"].Error($"is \"{activation}\", but Walkthrough's {architecture} computes its MLP with SiLU only", "use a model whose hidden_act is silu");
        var slidingWindow = architecture == Architecture.Mistral || root["use_sliding_window"].Bool(false)
            ? root["sliding_window"].OptionalInt(1, int.MaxValue) : null;
        return new ModelConfig
        {
            Architecture = architecture,
            ModelType = modelType,
            VocabularySize = vocabulary,
            HiddenSize = hidden,
            Layers = layers,
            Heads = heads,
            KeyValueHeads = kvHeads,
            HeadDim = headDim,
            IntermediateSize = intermediate,
            MaxPositions = positions,
            NormEpsilon = Epsilon(root["rms_norm_eps"], 1e-6),
            RopeTheta = root["rope_theta"].OptionalDouble(10000, 1, double.PositiveInfinity, "but a rotary base must be a number above 1 (10000 in most models)"),
            RopeScaling = ReadRopeScaling(root["rope_scaling"]),
            SlidingWindow = slidingWindow,
            TiedEmbeddings = root["tie_word_embeddings"].Bool(false),
            AttentionBias = root["attention_bias"].Bool(false),
            BosTokenId = TokenId(root["bos_token_id"], vocabulary),
            EosTokenIds = TokenIds(root["eos_token_id"], vocabulary),
            TorchDtype = root["torch_dtype"].OptionalString() ?? root["dtype"].OptionalString(),
            Raw = raw,
        };
    }

    private static ModelConfig Mpt(Keys keys, JsonObject raw)
    {
        var root = keys.Root;
        var hidden = keys.Size("d_model", MaxHidden);
        var heads = keys.Size("n_heads", MaxHeads);
        var vocabulary = keys.Size("vocab_size", MaxVocabulary);
        var layers = keys.Size("n_layers", MaxLayers);
        var positions = keys.Size("max_seq_len", MaxPositions);
        keys.ThrowIfMissing();
        var headDim = HeadDim(root, hidden, heads, "d_model", "n_heads", allowExplicit: false);
        var ratio = root["expansion_ratio"];
        var intermediate = (long)(ratio.OptionalDouble(4, 0, MaxIntermediate) * hidden);
        if (intermediate is < 1 or > MaxIntermediate)
            throw ratio.Error($"gives an MLP of {intermediate:N0} dimensions (expansion_ratio × d_model), but it must be from 1 to {MaxIntermediate:N0}");
        var attention = root["attn_config"];
        if (!attention.IsMissing) attention.Object();
        if (!attention["alibi"].Bool(true))
            throw attention["alibi"].Error("is false, but Walkthrough's MPT positions tokens with ALiBi only", "use an MPT model with alibi: true");
        if (attention["qk_ln"].Bool(false))
            throw attention["qk_ln"].Error("is true, but Walkthrough's MPT has no LayerNorm on queries and keys", "use an MPT model with qk_ln: false");
        if (!root["logit_scale"].IsMissing)
            throw root["logit_scale"].Error("is set, but Walkthrough's MPT does not scale its logits", "use an MPT model with logit_scale: null");
        return new ModelConfig
        {
            Architecture = Architecture.Mpt,
            ModelType = "mpt",
            VocabularySize = vocabulary,
            HiddenSize = hidden,
            Layers = layers,
            Heads = heads,
            KeyValueHeads = heads,
            HeadDim = headDim,
            IntermediateSize = (int)intermediate,
            MaxPositions = positions,
            NormEpsilon = Epsilon(root["layer_norm_epsilon"], 1e-5),
            TiedEmbeddings = true, // MPT always reuses wte as its output head
            LinearBias = !root["no_bias"].Bool(true),
            ClipQkv = attention["clip_qkv"].IsMissing ? null : attention["clip_qkv"].Double(0, double.PositiveInfinity, "but clipping needs a bound above 0"),
            AlibiBiasMax = attention["alibi_bias_max"].OptionalDouble(8, 0, 1024),
            EosTokenIds = TokenIds(root["eos_token_id"], vocabulary),
            BosTokenId = TokenId(root["bos_token_id"], vocabulary),
            TorchDtype = root["torch_dtype"].OptionalString(),
            Raw = raw,
        };
    }

    private static ModelConfig Gpt2(Keys keys, JsonObject raw)
    {
        var root = keys.Root;
        var hidden = keys.Size("n_embd", MaxHidden);
        var heads = keys.Size("n_head", MaxHeads);
        var vocabulary = keys.Size("vocab_size", MaxVocabulary);
        var layers = keys.Size("n_layer", MaxLayers);
        var positions = keys.Size("n_positions", MaxPositions);
        keys.ThrowIfMissing();
        var activation = root["activation_function"].OptionalString() ?? "gelu_new";
        if (activation != "gelu_new")
            throw root["activation_function"].Error($"is \"{activation}\", but Walkthrough's GPT-2 computes gelu_new only", "use a GPT-2 model whose activation_function is gelu_new");
        return new ModelConfig
        {
            Architecture = Architecture.Gpt2,
            ModelType = "gpt2",
            VocabularySize = vocabulary,
            HiddenSize = hidden,
            Layers = layers,
            Heads = heads,
            KeyValueHeads = heads,
            HeadDim = HeadDim(root, hidden, heads, "n_embd", "n_head", allowExplicit: false),
            IntermediateSize = root["n_inner"].OptionalInt(1, MaxIntermediate) ?? 4 * hidden,
            MaxPositions = positions,
            NormEpsilon = Epsilon(root["layer_norm_epsilon"], 1e-5),
            TiedEmbeddings = true,
            AttentionBias = true,
            LinearBias = true,
            BosTokenId = TokenId(root["bos_token_id"], vocabulary),
            EosTokenIds = TokenIds(root["eos_token_id"], vocabulary),
            TorchDtype = root["torch_dtype"].OptionalString(),
            Raw = raw,
        };
    }

    // head_dim when the config gives it (Mistral, Qwen3 may), else the width shared out among the heads — which must divide it.
    private static int HeadDim(JsonField root, int hidden, int heads, string hiddenKey, string headsKey, bool allowExplicit = true)
    {
        if (allowExplicit && root["head_dim"].OptionalInt(1, MaxHeadDim) is { } explicitDim) return explicitDim;
        if (hidden % heads != 0)
            throw root[headsKey].Error($"is {heads}, which does not divide {hiddenKey} ({hidden}) — each head takes an equal share of the width");
        if (hidden / heads > MaxHeadDim)
            throw root[headsKey].Error($"is {heads}, which gives heads of {hidden / heads:N0} dimensions, more than the {MaxHeadDim:N0} any model has");
        return hidden / heads;
    }

    private static double Epsilon(JsonField field, double fallback) =>
        field.OptionalDouble(fallback, 0, 1, "but a norm's epsilon must be a small positive number such as 1e-5 (it keeps a division away from zero)");

    private static int? TokenId(JsonField field, int vocabulary) =>
        field.OptionalInt(0, vocabulary - 1, $"but a token id must be from 0 to vocab_size − 1 ({vocabulary - 1:N0})");

    // eos_token_id is one id or a list of them (Llama 3 stops at any of several).
    private static IReadOnlyList<int> TokenIds(JsonField field, int vocabulary) =>
        field.IsMissing ? []
        : field.Kind == JsonValueKind.Array ? field.Items().Select(item => TokenId(item, vocabulary) ?? throw item.Error("is null; it must be a token id")).ToList()
        : [TokenId(field, vocabulary)!.Value];

    // {"rope_type" (or "type"): "linear" | "llama3" | ..., "factor": x, ...}; which types run is the rotary embedding's to say.
    private static RopeScaling? ReadRopeScaling(JsonField field)
    {
        if (field.IsMissing) return null;
        var scaling = field.Object();
        var typeField = scaling["rope_type"].IsMissing ? scaling["type"] : scaling["rope_type"];
        var type = typeField.OptionalString() ?? throw typeField.Error("is missing; rope_scaling needs its type (linear, llama3, ...)");
        var factor = type == "default" ? scaling["factor"].OptionalDouble(1, 0, double.PositiveInfinity) : scaling["factor"].Double(0, double.PositiveInfinity, "but a scaling factor must be above 0");
        var parameters = scaling.Members().Where(m => m.Value.Kind == JsonValueKind.Number)
            .ToDictionary(m => m.Name, m => m.Value.Double(double.NegativeInfinity, double.PositiveInfinity));
        if (type == "llama3")
        {
            var low = scaling["low_freq_factor"].Double(0, double.PositiveInfinity);
            scaling["high_freq_factor"].Double(low, double.PositiveInfinity, $"but it must be above low_freq_factor ({low})");
            scaling["original_max_position_embeddings"].Double(0, double.PositiveInfinity);
        }
        return new RopeScaling(type, factor, parameters);
    }

    /// <summary>Reads the required sizes, collecting the names of the missing ones to report them all at once.</summary>
    private sealed class Keys(JsonField root)
    {
        private readonly List<string> _missing = [];

        public JsonField Root => root;

        public int Size(string name, int max)
        {
            var field = root[name];
            if (field.IsMissing)
            {
                _missing.Add(name);
                return 0;
            }
            return field.Int(1, max);
        }

        public void ThrowIfMissing()
        {
            if (_missing.Count > 0)
                throw new WalkthroughException(
                    $"{root.File}: required key{(_missing.Count > 1 ? "s" : "")} missing: {string.Join(", ", _missing)} — add {(_missing.Count > 1 ? "them" : "it")}, or download config.json again.");
        }
    }
}
