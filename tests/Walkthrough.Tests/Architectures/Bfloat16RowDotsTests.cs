using System.Runtime.Intrinsics.X86;
using Walkthrough.Architectures;

namespace Walkthrough.Tests.Architectures;

public sealed unsafe class Bfloat16RowDotsTests
{
    public static TheoryData<int> Lengths => RowDotsTests.Lengths;

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.5f, 0xC020)]
    [InlineData(1.00390625f, 0x3F80)]  // 1 + 2⁻⁸: halfway between 0x3F80 and 0x3F81, ties to the even one
    [InlineData(1.01171875f, 0x3F82)]  // 1 + 3·2⁻⁸: halfway between 0x3F81 and 0x3F82, ties to the even one
    [InlineData(1.0078125f, 0x3F81)]   // 1 + 2⁻⁷: exactly 0x3F81
    [InlineData(1.0048828125f, 0x3F81)] // just above halfway: up
    public void Rounding_to_bfloat16_is_to_the_nearest_with_ties_to_even(float value, int expected)
    {
        Assert.Equal((ushort)expected, Bfloat16RowDots.Round(value));
        Assert.Equal(value, Bfloat16RowDots.Widen((ushort)expected), 0.01f);
    }

    [Fact]
    public void NaN_stays_NaN() => Assert.True(float.IsNaN(Bfloat16RowDots.Widen(Bfloat16RowDots.Round(float.NaN))));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_AVX_512_dot_product_equals_the_sum_of_the_widened_numbers_in_double_precision(int n)
    {
        if (!Avx512F.IsSupported) return; // this CPU runs the AVX2 kernel, tested below
        AssertDot(n, Bfloat16RowDots.Dot512);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_AVX2_dot_product_equals_the_sum_of_the_widened_numbers_in_double_precision(int n)
    {
        if (!Avx2.IsSupported || !Fma.IsSupported) return; // libtorch multiplies on such a CPU
        AssertDot(n, Bfloat16RowDots.Dot256);
    }

    private delegate float Dot(ushort* row, float* x, int n);

    private static void AssertDot(int n, Dot dot)
    {
        var random = new Random(n);
        var row = Enumerable.Range(0, n).Select(_ => Bfloat16RowDots.Round((float)(random.NextDouble() * 2 - 1))).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = 0.0;
        for (var i = 0; i < n; i++) expected += (double)Bfloat16RowDots.Widen(row[i]) * x[i];
        float result;
        fixed (ushort* r = row) fixed (float* xp = x) result = dot(r, xp, n);
        Assert.Equal(expected, result, 1e-5 * Math.Max(1, n / 64.0));
    }
}
