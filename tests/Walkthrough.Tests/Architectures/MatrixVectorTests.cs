using Walkthrough.Architectures;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class MatrixVectorTests
{
    public MatrixVectorTests() => TorchRuntime.Ensure();

    [Theory]
    [InlineData(4096, 1024, false)] // 2^22 elements: cut into blocks at 2 threads
    [InlineData(2048, 2048, true)]
    [InlineData(512, 192, false)]   // small: one product
    public void At_two_threads_a_row_times_a_large_weight_equals_the_plain_product(int rows, int columns, bool bias)
    {
        var threads = get_num_threads();
        set_num_threads(2);
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
            set_num_threads(threads);
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
