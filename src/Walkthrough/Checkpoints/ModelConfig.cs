using System.Text.Json.Nodes;
using Walkthrough.Hub;
using Walkthrough.Json;

namespace Walkthrough.Checkpoints;

/// <summary>The architectures the kit can count, plan and run.</summary>
public enum Architecture
{
    Llama,
    Mistral,
    Qwen2,
    Mpt,
    Gpt2,
}

/// <summary>Rotary-embedding scaling from a config's "rope_scaling" (linear, dynamic, llama3, yarn ...).</summary>
public sealed record RopeScaling(string Type, double Factor, IReadOnlyDictionary<string, double> Parameters);

/// <summary>
/// A model's <c>config.json</c>, read into one typed record whatever the architecture names its keys
/// (Llama's <c>hidden_size</c> is MPT's <c>d_model</c> and GPT-2's <c>n_embd</c>). Keys the kit does not use are
/// kept in <see cref="Raw"/>. <code>var config = ModelConfig.Read("data/configs/mistral-7b");</code>
/// </summary>
public sealed record ModelConfig
{
    public required Architecture Architecture { get; init; }

    /// <summary>The config's own "model_type" (llama, mistral, qwen2, mpt, gpt2).</summary>
    public required string ModelType { get; init; }

    public required int VocabularySize { get; init; }

    /// <summary>The width of the residual stream: every token is a vector of this many numbers.</summary>
    public required int HiddenSize { get; init; }

    public required int Layers { get; init; }

    public required int Heads { get; init; }

    /// <summary>Heads of keys and values; fewer than <see cref="Heads"/> means grouped-query attention.</summary>
    public required int KeyValueHeads { get; init; }

    public required int HeadDim { get; init; }

    /// <summary>The width of the MLP's hidden layer.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>The longest context the model was built for (max_position_embeddings, max_seq_len, n_positions).</summary>
    public required int MaxPositions { get; init; }

    public required double NormEpsilon { get; init; }

    /// <summary>Rotary embeddings' base (Llama, Mistral, Qwen2); null for ALiBi (MPT) and learned positions (GPT-2).</summary>
    public double? RopeTheta { get; init; }

    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Mistral's sliding attention window, in tokens; null when every token sees the whole context.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Whether the output head reuses the token-embedding matrix.</summary>
    public required bool TiedEmbeddings { get; init; }

    /// <summary>Whether the q/k/v projections have biases (Qwen2, GPT-2).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Whether the other linear layers and norms have biases (GPT-2 yes; Llama, Mistral, MPT no).</summary>
    public bool LinearBias { get; init; }

    /// <summary>MPT: queries, keys and values are clipped to ±this value; null when not clipped.</summary>
    public double? ClipQkv { get; init; }

    /// <summary>MPT: ALiBi's largest bias slope exponent (8 in every published MPT).</summary>
    public double AlibiBiasMax { get; init; } = 8;

    public int? BosTokenId { get; init; }

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>The dtype the weights were saved in ("bfloat16", "float32" ...), if the config says.</summary>
    public string? TorchDtype { get; init; }

    /// <summary>The whole config.json, unknown keys included.</summary>
    public required JsonObject Raw { get; init; }

    /// <summary>The facts a learner reads in a config, as (what, value) pairs.</summary>
    public IReadOnlyList<(string What, string Value)> Summary() =>
    [
        ("architecture", $"{Architecture} (model_type \"{ModelType}\")"),
        ("vocabulary", $"{VocabularySize:N0} tokens"),
        ("hidden size", $"{HiddenSize:N0} numbers per token"),
        ("layers", Layers.ToString()),
        ("attention heads", KeyValueHeads == Heads ? $"{Heads} of {HeadDim} dimensions" : $"{Heads} query heads sharing {KeyValueHeads} key/value heads, {HeadDim} dimensions each"),
        ("MLP width", $"{IntermediateSize:N0}"),
        ("context", $"{MaxPositions:N0} tokens{(SlidingWindow is { } w ? $", sliding window {w:N0}" : "")}"),
        ("positions", RopeTheta is { } theta ? $"rotary, base {theta:N0}{(RopeScaling is { } s ? $", {s.Type} scaling ×{s.Factor}" : "")}" : Architecture == Architecture.Mpt ? "ALiBi" : "learned"),
        ("output head", TiedEmbeddings ? "tied to the embeddings" : "its own matrix"),
        ("stored as", TorchDtype ?? "(not stated)"),
    ];

    public override string ToString() => string.Join("\n", Summary().Select(s => $"{s.What,-16} {s.Value}"));

    /// <summary>Reads a config.json file, the config.json inside a model folder, or a hub id's (downloading only config.json).</summary>
    public static ModelConfig Read(string path, HubSettings? hub = null)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new WalkthroughException(
                $"No model given{(path is null ? "" : $" (\"{path}\")")}: name a model folder, its config.json, or a Hugging Face model id such as mistralai/Mistral-7B-v0.1.");
        path = HubSnapshot.IfHubId(path, HubFiles.Config, hub)?.Folder ?? path;
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
            throw new WalkthroughException($"config.json not found at {file}: give a Hugging Face model folder, which holds config.json beside its weights, or the config.json itself.");
        using var document = StrictJson.Read(file, ModelConfigReader.Fix);
        return ModelConfigReader.From(document, file);
    }

    /// <summary>Reads a config from JSON text (tests, configs built in a notebook).</summary>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        using var document = StrictJson.Parse(source, json, ModelConfigReader.Fix);
        return ModelConfigReader.From(document, source);
    }
}
