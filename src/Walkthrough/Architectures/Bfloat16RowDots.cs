using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Walkthrough.Architectures;

/// <summary>
/// <see cref="RowDots"/> for bfloat16 weights: each weight row is read as bfloat16 — half the bytes of float32, and a
/// decode step waits on bytes — widened to float32 in registers (a bfloat16 is a float32's upper 16 bits), and summed
/// in float32 against x already widened; each result is rounded to the nearest bfloat16, ties to even, as libtorch
/// rounds its bfloat16 products.
/// </summary>
internal static unsafe class Bfloat16RowDots
{
    /// <summary>y[r] = W[r, :]·x for rows first … first + count − 1 of W (·, columns).</summary>
    public static void Multiply(ushort* w, float* x, ushort* y, int columns, int first, int count)
    {
        for (var r = first; r < first + count; r++)
            y[r] = Round(Avx512F.IsSupported ? Dot512(w + (long)r * columns, x, columns) : Dot256(w + (long)r * columns, x, columns));
    }

    /// <summary>row·x over n numbers, row in bfloat16 (one query's score against a cached key).</summary>
    public static float Dot(ushort* row, float* x, int n)
    {
        if (Avx512F.IsSupported) return Dot512(row, x, n);
        if (Fma.IsSupported && Avx2.IsSupported) return Dot256(row, x, n);
        var sum = 0f;
        for (var c = 0; c < n; c++) sum += Widen(row[c]) * x[c];
        return sum;
    }

    /// <summary>y += a·x over n numbers, x in bfloat16 (one cached value's share of an attention output).</summary>
    public static void AddScaled(ushort* x, float a, float* y, int n)
    {
        var c = 0;
        if (Avx512F.IsSupported)
            for (; c <= n - 16; c += 16) Vector512.Store(Avx512F.FusedMultiplyAdd(Widen16(x + c), Vector512.Create(a), Vector512.Load(y + c)), y + c);
        else if (Fma.IsSupported && Avx2.IsSupported)
            for (; c <= n - 8; c += 8) Vector256.Store(Fma.MultiplyAdd(Widen8(x + c), Vector256.Create(a), Vector256.Load(y + c)), y + c);
        for (; c < n; c++) y[c] += Widen(x[c]) * a;
    }

    /// <summary>bfloat16 → float32, exactly.</summary>
    public static float Widen(ushort b) => BitConverter.Int32BitsToSingle(b << 16);

    /// <summary>float32 → the nearest bfloat16, ties to even; NaN stays NaN.</summary>
    public static ushort Round(float f)
    {
        if (float.IsNaN(f)) return 0x7FC0;
        var bits = BitConverter.SingleToUInt32Bits(f);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    internal static float Dot512(ushort* row, float* x, int n)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var c = 0;
        for (; c <= n - 64; c += 64)
        {
            a0 = Avx512F.FusedMultiplyAdd(Widen16(row + c), Vector512.Load(x + c), a0);
            a1 = Avx512F.FusedMultiplyAdd(Widen16(row + c + 16), Vector512.Load(x + c + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(Widen16(row + c + 32), Vector512.Load(x + c + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(Widen16(row + c + 48), Vector512.Load(x + c + 48), a3);
        }
        for (; c <= n - 16; c += 16)
            a0 = Avx512F.FusedMultiplyAdd(Widen16(row + c), Vector512.Load(x + c), a0);
        var sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; c < n; c++)
            sum += Widen(row[c]) * x[c];
        return sum;
    }

    internal static float Dot256(ushort* row, float* x, int n)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var c = 0;
        for (; c <= n - 32; c += 32)
        {
            a0 = Fma.MultiplyAdd(Widen8(row + c), Vector256.Load(x + c), a0);
            a1 = Fma.MultiplyAdd(Widen8(row + c + 8), Vector256.Load(x + c + 8), a1);
            a2 = Fma.MultiplyAdd(Widen8(row + c + 16), Vector256.Load(x + c + 16), a2);
            a3 = Fma.MultiplyAdd(Widen8(row + c + 24), Vector256.Load(x + c + 24), a3);
        }
        for (; c <= n - 8; c += 8)
            a0 = Fma.MultiplyAdd(Widen8(row + c), Vector256.Load(x + c), a0);
        var sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        for (; c < n; c++)
            sum += Widen(row[c]) * x[c];
        return sum;
    }

    private static Vector512<float> Widen16(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(p)), 16).AsSingle();

    private static Vector256<float> Widen8(ushort* p) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(Vector128.Load(p)), 16).AsSingle();
}
