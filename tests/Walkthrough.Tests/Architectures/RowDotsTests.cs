using System.Runtime.Intrinsics.X86;
using Walkthrough.Architectures;

namespace Walkthrough.Tests.Architectures;

public sealed unsafe class RowDotsTests
{
    // Lengths that end in each of the kernel's loops: whole blocks of four vectors, single vectors, single numbers.
    public static TheoryData<int> Lengths => [1, 7, 8, 15, 16, 31, 33, 63, 64, 65, 100, 130, 192, 1000];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_AVX_512_dot_product_equals_the_sum_worked_out_in_double_precision(int n)
    {
        if (!Avx512F.IsSupported) return; // this CPU runs the AVX2 kernel, tested below
        AssertDot(n, RowDots.Dot512);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_AVX2_dot_product_equals_the_sum_worked_out_in_double_precision(int n)
    {
        if (!Avx2.IsSupported || !Fma.IsSupported) return; // libtorch multiplies on such a CPU
        AssertDot(n, RowDots.Dot256);
    }

    [Fact]
    public void Multiply_writes_the_rows_it_is_given_and_no_others()
    {
        if (!RowDots.Supported) return;
        const int rows = 6, columns = 70;
        var random = new Random(3);
        var w = Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var x = Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var y = Enumerable.Repeat(float.NaN, rows).ToArray();

        fixed (float* wp = w, xp = x, yp = y) RowDots.Multiply(wp, xp, yp, columns, first: 2, count: 3);

        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[1]) && float.IsNaN(y[5]));
        for (var r = 2; r < 5; r++)
            Assert.Equal(Reference(w.AsSpan(r * columns, columns), x), y[r], 1e-5);
    }

    private delegate float Dot(float* row, float* x, int n);

    private static void AssertDot(int n, Dot dot)
    {
        var random = new Random(n);
        var row = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float result;
        fixed (float* r = row, xp = x) result = dot(r, xp, n);
        Assert.Equal(Reference(row, x), result, 1e-5 * Math.Max(1, n / 64.0));
    }

    private static double Reference(ReadOnlySpan<float> row, ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        for (var i = 0; i < row.Length; i++) sum += (double)row[i] * x[i];
        return sum;
    }
}
