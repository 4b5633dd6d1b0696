using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// How a (out, in) weight matrix lies in memory, kept here so the modules read as usual. Every matrix is asked onto
/// 2 MB pages before a checkpoint fills it (<see cref="Native.HugePages"/>; TinyLlama's shape, float32, 1 thread:
/// 134–159 → 123–125 ms a decode step). Mostly it lies as the checkpoint has it, row-major: that is what the kit's
/// own decode kernels read (<see cref="RowDots"/>, <see cref="Bfloat16RowDots"/>), and GPUs are as fast or faster that way.
/// But in float32 on a CPU without AVX2, where MKL multiplies a decode step's rows too, the matrix is stored
/// "input-major" — the (in, out) transpose, contiguous — and the parameter is its transposed view, so its shape, name
/// and values are the checkpoint's: MKL runs x·Wᵀ faster with a contiguous right-hand matrix (measured at 1 thread
/// on the bundled model's output head, 32,000 × 192, 2.29 → 0.99 ms a decode step; TinyLlama's head 13.9 → 10.6 ms).
/// The price of row-major float32 is prefill: MKL's 64-token products on TinyLlama's shape at 1 thread ran at
/// 60–69 tokens/s where input-major gave 94.
/// </summary>
internal static class WeightLayout
{
    /// <summary>An empty (rows, columns) matrix in the layout that multiplies fastest on this device in this dtype.</summary>
    public static Tensor Empty(long rows, long columns, ScalarType dtype, Device device)
    {
        var inputMajor = dtype == ScalarType.Float32 && device.type == TorchSharp.DeviceType.CPU && !RowDots.Supported;
        var matrix = inputMajor ? empty([columns, rows], dtype, device) : empty([rows, columns], dtype, device);
        Native.HugePages.Advise(matrix); // before a checkpoint fills it
        return inputMajor ? matrix.t() : matrix;
    }
}
