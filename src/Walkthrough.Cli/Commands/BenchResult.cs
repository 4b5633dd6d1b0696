namespace Walkthrough.Cli.Commands;

/// <summary>
/// What <c>walkthrough bench --json</c> prints: one object, snake_case keys, seconds and bytes. Scripts read it
/// (tools/gpu-proof/run.sh compares it with transformers), so keys are only ever added, never renamed.
/// </summary>
public sealed record BenchResult
{
    public required string Model { get; init; }
    public required long Parameters { get; init; }
    public required string Device { get; init; }
    public required string Dtype { get; init; }
    public required int PromptTokens { get; init; }
    public required int NewTokens { get; init; }

    /// <summary>Reading config.json and the safetensors onto the device, seconds.</summary>
    public required double LoadSeconds { get; init; }

    /// <summary>The prompt's forward pass and the first token, seconds.</summary>
    public required double PrefillSeconds { get; init; }
    public required double PrefillTokensPerSecond { get; init; }

    /// <summary>Batch 1, with the KV cache, over the tokens after the first.</summary>
    public required double DecodeTokensPerSecond { get; init; }
    public required double DecodeMsPerToken { get; init; }

    /// <summary>Without the KV cache: every step reads the whole text again (fewer steps).</summary>
    public required double UncachedDecodeTokensPerSecond { get; init; }

    /// <summary>The weights' bytes on the device: what each decode step must read.</summary>
    public required long WeightBytes { get; init; }

    /// <summary>The most GPU memory in use above the start (NVML, sampled), bytes; null on the CPU or without NVML.</summary>
    public long? PeakGpuBytes { get; init; }

    /// <summary>What the kit's planner predicts for this load at prompt + new tokens (weights, KV cache, activations, CUDA context).</summary>
    public required long PlannedBytes { get; init; }

    /// <summary>This process's peak resident memory (working set), bytes.</summary>
    public required long PeakProcessBytes { get; init; }

    public required int Threads { get; init; }
}
