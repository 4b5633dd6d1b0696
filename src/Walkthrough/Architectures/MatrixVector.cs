using System.Buffers;
using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// x·Wᵀ + b where x is one row — every product of a decode step, which waits on memory, not arithmetic. In float32 on a
/// CPU with AVX2 or AVX-512 the kit's own kernel multiplies (<see cref="RowDots"/>, W row-major; in bfloat16
/// <see cref="Bfloat16RowDots"/>: the bundled model's bfloat16 decode 0.34× → 0.45–0.60× llama.cpp's), and at n &gt; 1
/// threads W's rows are shared with up to n − 1 helper threads (<see cref="RowPool"/>), each reading its share of the
/// weights, no share smaller than <see cref="ThreadShare"/>. On TinyLlama's shape, float32, on a 2-core AMD EPYC VM,
/// beside llama.cpp's decode in the same runs: 0.85× → 0.89–1.10× at 1 thread (six runs), 0.96× → 0.92–1.02× at 2
/// (three; before: MKL, input-major). Elsewhere MKL multiplies, and as it runs a matrix-vector product on one thread
/// whatever libtorch's thread count, a large W stored input-major is cut into n blocks and multiplied as one batched
/// product (measured at 2 threads on the bundled model's output head, 32,000 × 192: 0.39 → 0.15–0.26 ms a step); there
/// small matrices stay on one thread (libtorch's hand-over costs more than it saves). GPUs, several rows and other
/// dtypes take libtorch's product.
/// </summary>
internal static class MatrixVector
{
    private const long LargeWeight = 1 << 22; // elements: TinyLlama's 2,048 × 2,048 projections and up

    // The kit's kernel gives each thread at least this many weights (64 KB in float32, ~6 µs from RAM): RowPool's
    // helpers spin between a step's products, so a hand-over costs well under that. At 2 threads this shares the
    // bundled model's layer products too (192 × 192 and up), not only its output head: decode 7–10 % faster by the
    // clock, the process's CPU time up 1–2.5 % (2-core AMD EPYC VM, two runs of 14 alternated 64-token requests,
    // 2026-12-03; a share of 65,536 gave 4–15 %). Before, only W of 2²² weights and up was shared.
    private const long ThreadShare = 1 << 14;

    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        var (rows, columns) = (weight.size(0), weight.size(1));
        if (x.NumberOfElements != columns || x.device_type != DeviceType.CPU || weight.device_type != DeviceType.CPU ||
            x.dtype != weight.dtype)
            return nn.functional.linear(x, weight, bias);
        if (RowDots.Supported && (weight.dtype is ScalarType.Float32 or ScalarType.BFloat16) && x.is_contiguous() &&
            weight.stride(1) == 1 && weight.stride(0) == columns)
            return RowByRow(x, weight, bias, (int)rows, (int)columns);
        if (weight.dtype != ScalarType.Float32)
            return nn.functional.linear(x, weight, bias);
        var threads = get_num_threads();
        if (threads < 2 || rows * columns < LargeWeight || rows % threads != 0)
            return nn.functional.linear(x, weight, bias);
        using var scope = NewDisposeScope();
        var blocks = weight.view(threads, rows / threads, columns).transpose(1, 2);   // (threads, in, out / threads)
        var y = x.reshape(1, 1, columns).expand(threads, 1, columns).bmm(blocks);     // (threads, 1, out / threads)
        y = y.view([.. x.shape[..^1], rows]);
        return (bias is null ? y : y.add_(bias, Scalars.One)).MoveToOuterDisposeScope();
    }

    private static unsafe Tensor RowByRow(Tensor x, Tensor weight, Tensor? bias, int rows, int columns)
    {
        var y = empty([.. x.shape[..^1], rows], weight.dtype);
        var threads = (int)Math.Clamp((long)rows * columns / ThreadShare, 1, get_num_threads());
        fixed (byte* w = weight.bytes, input = x.bytes, output = y.bytes)
        {
            if (weight.dtype == ScalarType.Float32)
                RowPool.Multiply((float*)w, (float*)input, (float*)output, columns, rows, threads);
            else
                MultiplyBfloat16((ushort*)w, (ushort*)input, (ushort*)output, columns, rows, threads);
        }
        return bias is null ? y : y.add_(bias, Scalars.One);
    }

    // x is widened to float32 once, for all the rows.
    private static unsafe void MultiplyBfloat16(ushort* w, ushort* x, ushort* y, int columns, int rows, int threads)
    {
        var wide = ArrayPool<float>.Shared.Rent(columns);
        try
        {
            for (var i = 0; i < columns; i++) wide[i] = Bfloat16RowDots.Widen(x[i]);
            fixed (float* input = wide) RowPool.Multiply(w, input, y, columns, rows, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(wide);
        }
    }
}
