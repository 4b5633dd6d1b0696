using Walkthrough.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class GroupedQueryStepTests
{
    // float32 takes OneToken's attention, float64 libtorch's SDPA on the grouped queries.
    [Theory]
    [InlineData(false, ScalarType.Float32)]
    [InlineData(true, ScalarType.Float32)]
    [InlineData(false, ScalarType.Float64)]
    [InlineData(true, ScalarType.Float64)]
    public void One_query_against_shared_key_value_heads_equals_repeating_them_for_every_query_head(bool windowMask, ScalarType dtype)
    {
        TinyModels.Build(TinyModels.Llama()).Dispose();
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(11);
        var q = randn([1, 6, 1, 8], dtype, generator: generator);      // 6 query heads
        var k = randn([1, 2, 9, 8], dtype, generator: generator);      // 2 key/value heads, 9 positions
        var v = randn([1, 2, 9, 8], dtype, generator: generator);
        var mask = windowMask ? AttentionMask.Causal(1, 8, window: 4, CPU) : null;

        var grouped = GroupedQueryStep.Attend(q, k, v, mask);
        var repeated = nn.functional.scaled_dot_product_attention(q, k.repeat_interleave(3, dim: 1), v.repeat_interleave(3, dim: 1), mask, 0, is_casual: false)
            .transpose(1, 2).reshape(1, 1, 48);

        Assert.Equal([1, 1, 48], grouped.shape);
        Assert.True((grouped - repeated).abs().max().to(float32).item<float>() < 1e-6);
    }
}
