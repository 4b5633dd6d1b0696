using Walkthrough.Hub;

namespace Walkthrough.Checkpoints;

/// <summary>
/// Where and how a model is loaded. Left empty, the kit decides as a careful engineer would: CUDA when TorchSharp sees
/// a GPU — bfloat16 on compute capability 8.0 and newer (A100, H100, RTX 30xx+), float16 below (T4, V100, as in the
/// seed) — and float32 on the CPU.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>"cpu", "cuda" or "cuda:N"; null chooses.</summary>
    public string? Device { get; init; }

    /// <summary>"float32", "bfloat16" or "float16"; null chooses for the device.</summary>
    public string? Dtype { get; init; }

    /// <summary>Store Linear weights in 8 bits (per output channel), computing in <see cref="Dtype"/>.</summary>
    public bool Int8 { get; init; }

    /// <summary>
    /// The folder of an installed libtorch to run on instead of the NuGet one (linux-x64), e.g. a PyTorch with CUDA's
    /// site-packages/torch/lib; the same as WALKTHROUGH_LIBTORCH. Only the first model of a process chooses it.
    /// </summary>
    public string? LibTorch { get; init; }

    /// <summary>Where a hub id is downloaded from and cached; null reads HF_ENDPOINT, HF_HUB_CACHE, HF_TOKEN and HF_HUB_OFFLINE.</summary>
    public HubSettings? Hub { get; init; }

    public static readonly LoadOptions Auto = new();
}
