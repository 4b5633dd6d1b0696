using Walkthrough.Architectures;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class MatrixVectorTests
{
    public MatrixVectorTests() => TorchRuntime.Ensure();

    [Theory]
    [InlineData(4096, 1024, false, 2)] // 2^22 elements: rows shared with a helper thread
    [InlineData(2048, 2048, true, 2)]
    [InlineData(4099, 1029, true, 3)]  // rows and columns that divide into no block or vector evenly
    [InlineData(512, 192, false, 2)]   // 98,304 elements: six shares of 16,384, so still two threads
    [InlineData(64, 128, false, 2)]    // 8,192: less than a share, one thread
    [InlineData(2048, 2048, false, 1)]
    public void A_row_times_a_weight_equals_the_plain_product_at_any_thread_count(int rows, int columns, bool bias, int threads)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var weight = WeightLayout.Empty(rows, columns, float32, CPU);
            weight.copy_(randn(rows, columns));
            var b = bias ? randn(rows) : null;
            var x = randn(1, 1, columns);

            var y = MatrixVector.Linear(x, weight, b);

            Assert.Equal([1, 1, rows], y.shape);
            Assert.True((y - nn.functional.linear(x, weight, b)).abs().max().item<float>() < 1e-4);
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Theory]
    [InlineData(4096, 1024, true, 2)]  // rows shared with a helper thread
    [InlineData(4099, 1029, false, 3)]
    [InlineData(512, 192, false, 1)]
    public void A_bfloat16_row_times_a_bfloat16_weight_equals_libtorchs_product_to_bfloat16_rounding(int rows, int columns, bool bias, int threads)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var weight = WeightLayout.Empty(rows, columns, bfloat16, CPU);
            weight.copy_(randn(rows, columns));
            var b = bias ? randn(rows).to(bfloat16) : null;
            var x = randn(1, 1, columns).to(bfloat16);

            var y = MatrixVector.Linear(x, weight, b);
            // The same sums in float32 from the same bfloat16 numbers. y rounds the product to bfloat16, then the sum
            // with the bias: each rounding is at most half a step, 2⁻⁸ of the number rounded.
            var product = nn.functional.linear(x.to(float32), weight.to(float32));
            var expected = b is null ? product : product + b.to(float32);

            Assert.Equal(bfloat16, y.dtype);
            Assert.Equal([1, 1, rows], y.shape);
            var error = (y.to(float32) - expected).abs();
            var allowed = (product.abs() + (b is null ? zeros_like(product) : expected.abs())) / 256 + 1e-3;
            Assert.True(error.le(allowed).all().item<bool>(), $"max |Δ| {error.max().item<float>()}");
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void Products_from_several_threads_at_once_each_get_their_own_answer()
    {
        var before = get_num_threads();
        set_num_threads(2);
        try
        {
            using var scope = NewDisposeScope();
            var weight = WeightLayout.Empty(4096, 1024, float32, CPU);
            weight.copy_(randn(4096, 1024));
            var inputs = Enumerable.Range(0, 4).Select(_ => randn(1, 1, 1024)).ToArray();
            var expected = inputs.Select(x => nn.functional.linear(x, weight)).ToArray();

            var differences = new float[inputs.Length];
            Parallel.For(0, inputs.Length, i =>
            {
                for (var round = 0; round < 20; round++)
                {
                    using var y = MatrixVector.Linear(inputs[i], weight, null);
                    using var difference = (y - expected[i]).abs().max();
                    differences[i] = Math.Max(differences[i], difference.item<float>());
                }
            });

            Assert.All(differences, d => Assert.True(d < 1e-4, $"max |Δ| {d}"));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void Several_rows_take_the_plain_product()
    {
        using var scope = NewDisposeScope();
        var weight = randn(4096, 1024);
        var x = randn(1, 5, 1024);

        Assert.True(MatrixVector.Linear(x, weight, null).equal(nn.functional.linear(x, weight)).all().item<bool>());
    }
}
