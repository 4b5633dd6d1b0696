using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Walkthrough.Architectures;

/// <summary>
/// y = W·x for one float32 row x and a row-major W (out, in), one weight row at a time: each row is a single
/// sequential stream through memory, which the CPU's prefetchers follow best, summed in four vector accumulators so
/// the additions do not wait on each other. A decode step is these products and waits on memory, not arithmetic.
/// Measured at 1 thread on TinyLlama's shapes read from RAM (5,632 × 2,048, 2,048 × 5,632, 2,048², 32,000 × 2,048),
/// medians of 9: 31.7–35.8 GB/s where MKL's matrix-vector product on the same matrices, stored either way, gave
/// 25.5–31.6; four rows at once (four streams) 27.5–34.6, and MKL's layout summed row by row 23.4–30.2.
/// </summary>
internal static unsafe class RowDots
{
    /// <summary>Whether this CPU runs the kernel (AVX-512, or AVX2 with FMA); elsewhere libtorch multiplies.</summary>
    public static bool Supported => Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported);

    /// <summary>What multiplies a decode step's float32 and bfloat16 products on this CPU, in words (doctor says it).</summary>
    public static string Kernel => Avx512F.IsSupported ? "the kit's AVX-512 kernel" : Supported ? "the kit's AVX2 kernel" : "libtorch (MKL, oneDNN)";

    /// <summary>y[r] = W[r, :]·x for rows first … first + count − 1 of W (·, columns).</summary>
    public static void Multiply(float* w, float* x, float* y, int columns, int first, int count)
    {
        for (var r = first; r < first + count; r++)
            y[r] = Avx512F.IsSupported ? Dot512(w + (long)r * columns, x, columns) : Dot256(w + (long)r * columns, x, columns);
    }

    /// <summary>a·b over n numbers, in the kernel's order of summation where the CPU runs it.</summary>
    public static float Dot(float* a, float* b, int n) =>
        Avx512F.IsSupported ? Dot512(a, b, n) : Supported ? Dot256(a, b, n) : System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(a, n), new ReadOnlySpan<float>(b, n));

    internal static float Dot512(float* row, float* x, int n)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var c = 0;
        for (; c <= n - 64; c += 64)
        {
            a0 = Avx512F.FusedMultiplyAdd(Vector512.Load(row + c), Vector512.Load(x + c), a0);
            a1 = Avx512F.FusedMultiplyAdd(Vector512.Load(row + c + 16), Vector512.Load(x + c + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(Vector512.Load(row + c + 32), Vector512.Load(x + c + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(Vector512.Load(row + c + 48), Vector512.Load(x + c + 48), a3);
        }
        for (; c <= n - 16; c += 16)
            a0 = Avx512F.FusedMultiplyAdd(Vector512.Load(row + c), Vector512.Load(x + c), a0);
        var sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; c < n; c++)
            sum += row[c] * x[c];
        return sum;
    }

    internal static float Dot256(float* row, float* x, int n)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var c = 0;
        for (; c <= n - 32; c += 32)
        {
            a0 = Fma.MultiplyAdd(Vector256.Load(row + c), Vector256.Load(x + c), a0);
            a1 = Fma.MultiplyAdd(Vector256.Load(row + c + 8), Vector256.Load(x + c + 8), a1);
            a2 = Fma.MultiplyAdd(Vector256.Load(row + c + 16), Vector256.Load(x + c + 16), a2);
            a3 = Fma.MultiplyAdd(Vector256.Load(row + c + 24), Vector256.Load(x + c + 24), a3);
        }
        for (; c <= n - 8; c += 8)
            a0 = Fma.MultiplyAdd(Vector256.Load(row + c), Vector256.Load(x + c), a0);
        var sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        for (; c < n; c++)
            sum += row[c] * x[c];
        return sum;
    }
}
