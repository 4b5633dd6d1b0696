using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// How a (out, in) weight matrix lies in memory, kept here so the modules read as usual. Every matrix is asked onto
/// 2 MB pages before a checkpoint fills it (<see cref="Native.HugePages"/>; TinyLlama's shape, float32, 1 thread:
/// 134–159 → 123–125 ms a decode step). And in float32 on the CPU the matrix is stored "input-major" — the (in, out) transpose, contiguous — and
/// the parameter is its transposed view, so its shape, name and values are the checkpoint's. libtorch then runs
/// x·Wᵀ as a product with a contiguous right-hand matrix, which its BLAS does faster: measured at 1 thread on the
/// bundled model's output head (32,000 × 192), 2.29 → 0.99 ms a decode step; TinyLlama's head (32,000 × 2,048)
/// 13.9 → 10.6 ms; prefill (128 tokens) no slower. In bfloat16 (oneDNN) and on GPUs the usual layout is as fast
/// or faster, so it stays.
/// </summary>
internal static class WeightLayout
{
    /// <summary>An empty (rows, columns) matrix in the layout that multiplies fastest on this device in this dtype.</summary>
    public static Tensor Empty(long rows, long columns, ScalarType dtype, Device device)
    {
        var inputMajor = dtype == ScalarType.Float32 && device.type == TorchSharp.DeviceType.CPU;
        var matrix = inputMajor ? empty([columns, rows], dtype, device) : empty([rows, columns], dtype, device);
        Native.HugePages.Advise(matrix); // before a checkpoint fills it
        return inputMajor ? matrix.t() : matrix;
    }
}
