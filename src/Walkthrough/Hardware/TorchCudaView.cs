using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Hardware;

/// <summary>
/// What libtorch, through TorchSharp, says about CUDA in this process. TorchSharp 0.107 exposes only
/// torch.cuda.is_available() and device_count() — none of PyTorch's memory_allocated, memory_reserved or
/// mem_get_info — so the GPU memory this process holds is read from NVML's process list instead.
/// </summary>
public sealed record TorchCudaView(bool? CudaAvailable, int? DeviceCount, string Note)
{
    /// <summary>Starts libtorch if needed (see <see cref="TorchRuntime.Ensure"/>); a libtorch that cannot load is a note, not an error.</summary>
    public static TorchCudaView Read()
    {
        try
        {
            var runtime = TorchRuntime.Describe();
            return new TorchCudaView(runtime.CudaAvailable, cuda.device_count(), Limits);
        }
        catch (WalkthroughException e)
        {
            return new TorchCudaView(null, null, $"libtorch did not load: {e.Message}");
        }
    }

    /// <summary>A view that did not ask libtorch (starting it takes a second or two).</summary>
    public static TorchCudaView NotAsked { get; } = new(null, null, "libtorch was not asked.");

    private const string Limits =
        "TorchSharp exposes torch.cuda.is_available() and device_count() only — no memory_allocated, memory_reserved " +
        "or mem_get_info — so this process's GPU memory comes from NVML's list of processes.";
}
