using Walkthrough.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class WeightLayoutTests
{
    [Fact]
    public void A_float32_cpu_weight_has_the_checkpoints_shape_stored_for_this_cpus_kernel_and_multiplies_the_same()
    {
        TinyModels.Build(TinyModels.Llama()).Dispose();
        using var scope = NewDisposeScope();
        var checkpoint = randn(5, 3);                             // (out, in), as a checkpoint holds it
        var weight = WeightLayout.Empty(5, 3, float32, CPU);
        weight.copy_(checkpoint);
        var x = randn(2, 3);

        Assert.Equal([5, 3], weight.shape);
        // Row-major for the kit's own kernel; else the (in, out) transpose lies contiguous, for MKL.
        Assert.Equal(RowDots.Supported ? [3, 1] : [1, 5], weight.stride());
        Assert.True(weight.allclose(checkpoint, 0, 0));
        Assert.True((nn.functional.linear(x, weight) - x.matmul(checkpoint.t())).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void Other_dtypes_keep_the_usual_layout()
    {
        TinyModels.Build(TinyModels.Llama()).Dispose();
        using var scope = NewDisposeScope();
        Assert.Equal([3, 1], WeightLayout.Empty(5, 3, bfloat16, CPU).stride());
    }
}
