namespace Walkthrough.Native;

/// <summary>What <see cref="TorchRuntime.Ensure"/> found and did; <c>walkthrough doctor</c> prints it.</summary>
/// <param name="TorchSharpVersion">The TorchSharp package in use, e.g. 0.107.0.</param>
/// <param name="LibTorchVersion">The libtorch TorchSharp is built for (<c>torch.__version__</c>, a constant), e.g. 2.10.0.0.</param>
/// <param name="LibTorchFolder">Where libtorch's libraries were loaded from (Linux only; null elsewhere).</param>
/// <param name="PatchedCopy">
/// The patched libLibTorchSharp.so loaded instead of TorchSharp's own, when the system libstdc++ lacks
/// GLIBCXX_3.4.32; null when none was needed.
/// </param>
/// <param name="CudaAvailable">Whether libtorch can use an NVIDIA GPU here.</param>
public sealed record TorchRuntimeReport(
    string TorchSharpVersion,
    string LibTorchVersion,
    string? LibTorchFolder,
    string? PatchedCopy,
    bool CudaAvailable)
{
    public bool Patched => PatchedCopy is not null;

    /// <summary>How the libtorch folder was chosen: WALKTHROUGH_LIBTORCH, TorchRuntime.UseLibTorch, or the NuGet package.</summary>
    public string? LibTorchSource { get; init; }

    /// <summary>The release the libtorch folder itself states ("2.11.0+cu130"); null where it says none.</summary>
    public string? LibTorchRelease { get; init; }

    /// <summary>Functions TorchSharp's bridge calls that the folder lacks (loaded anyway with WALKTHROUGH_LIBTORCH_ALLOW_MISSING=1).</summary>
    public int MissingFunctions { get; init; }
}
