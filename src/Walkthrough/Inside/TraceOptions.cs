using Walkthrough.Checkpoints;

namespace Walkthrough.Inside;

/// <summary>
/// What a <see cref="ForwardTrace"/> records besides the residual stream (always kept: one vector per token per
/// layer). Attention costs heads × T² numbers per layer — a 7B model's 32 layers × 32 heads at 512 tokens is
/// about a gigabyte in bfloat16 — so a cell chooses layers and heads, and a trace bigger than <see cref="MaxBytes"/>
/// is refused before anything runs.
/// <code>using var trace = model.Trace("Monday, Tuesday, Wednesday,", new TraceOptions { AttentionLayers = [0, 1] });</code>
/// </summary>
public sealed record TraceOptions
{
    public static readonly TraceOptions Default = new();

    /// <summary>Layers (0-based) whose attention probabilities are recorded; null = every layer, [] = none.</summary>
    public IReadOnlyList<int>? AttentionLayers { get; init; }

    /// <summary>Query heads (0-based) recorded in those layers; null = every head.</summary>
    public IReadOnlyList<int>? AttentionHeads { get; init; }

    /// <summary>The most a trace may hold on the model's device; bytes. Default 512 MiB.</summary>
    public long MaxBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The recorded layers, checked against the model: in order, each once.</summary>
    internal IReadOnlyList<int> LayersFor(ModelConfig config, string model) =>
        Checked(AttentionLayers, config.Layers, "layer", $"{model} has {config.Layers} layers");

    /// <summary>The recorded query heads, checked against the model.</summary>
    internal IReadOnlyList<int> HeadsFor(ModelConfig config, string model) =>
        Checked(AttentionHeads, config.Heads, "head", $"{model} has {config.Heads} attention heads per layer");

    /// <summary>Bytes a trace of <paramref name="tokens"/> tokens holds: residuals (layers + 1) × T × hidden, attention layers × heads × T².</summary>
    internal long Bytes(ModelConfig config, int tokens, int elementSize, string model)
    {
        var residuals = (long)(config.Layers + 1) * tokens * config.HiddenSize;
        var attention = (long)LayersFor(config, model).Count * HeadsFor(config, model).Count * tokens * tokens;
        return (residuals + attention) * elementSize;
    }

    private static IReadOnlyList<int> Checked(IReadOnlyList<int>? chosen, int count, string what, string has)
    {
        if (chosen is null) return Enumerable.Range(0, count).ToList();
        foreach (var i in chosen)
            if (i < 0 || i >= count) throw new WalkthroughException($"There is no {what} {i}: {has}, numbered 0 to {count - 1}.");
        return chosen.Distinct().Order().ToList();
    }
}
