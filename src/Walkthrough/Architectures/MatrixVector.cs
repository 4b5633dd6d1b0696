using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// x·Wᵀ + b where x is one row — every product of a decode step. MKL multiplies a matrix by a vector on one thread
/// whatever libtorch's thread count, so on a CPU with n &gt; 1 threads a large W is cut into n blocks of rows and
/// multiplied as one batched product, which libtorch spreads over its threads: each thread reads its share of the
/// weights, and memory bandwidth, not arithmetic, is what a decode step waits on. Measured at 2 threads on the
/// bundled model's output head (32,000 × 192): 0.39 → 0.15–0.26 ms a step. Small matrices stay one product (the
/// threads' hand-over costs more than they save); so do GPUs, several rows and other dtypes.
/// </summary>
internal static class MatrixVector
{
    private const long LargeWeight = 1 << 22; // elements: TinyLlama's 2,048 × 2,048 projections and up

    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        var (rows, columns) = (weight.size(0), weight.size(1));
        var threads = get_num_threads();
        if (threads < 2 || rows * columns < LargeWeight || rows % threads != 0 || x.NumberOfElements != columns ||
            x.device_type != DeviceType.CPU || weight.dtype != ScalarType.Float32)
            return nn.functional.linear(x, weight, bias);
        using var scope = NewDisposeScope();
        var blocks = weight.view(threads, rows / threads, columns).transpose(1, 2);   // (threads, in, out / threads)
        var y = x.reshape(1, 1, columns).expand(threads, 1, columns).bmm(blocks);     // (threads, 1, out / threads)
        y = y.view([.. x.shape[..^1], rows]);
        return (bias is null ? y : y.add_(bias, Scalars.One)).MoveToOuterDisposeScope();
    }
}
