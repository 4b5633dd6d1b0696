using Walkthrough.Architectures;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

/// <summary>A decode step's one-token paths against the formula worked out by hand in double precision, and against the tensor path.</summary>
public sealed class OneTokenTests
{
    public OneTokenTests() => TorchRuntime.Ensure();

    [Fact]
    public void RmsNorm_of_one_token_is_x_over_its_root_mean_square_times_the_weight()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm(192, 1e-5, float32, CPU);
        var weight = randn(192);
        using (no_grad()) norm.parameters().Single().copy_(weight);
        var x = randn(1, 1, 192) * 3;

        var y = norm.forward(x).data<float>().ToArray();

        var (xs, ws) = (x.data<float>().ToArray(), weight.data<float>().ToArray());
        var rms = Math.Sqrt(xs.Sum(v => (double)v * v) / xs.Length + 1e-5);
        for (var i = 0; i < xs.Length; i++) Assert.True(Math.Abs(xs[i] / rms * ws[i] - y[i]) < 1e-6 * Math.Max(1, Math.Abs(y[i])), $"{i}");
        // …and what the tensor path gives the token among others, up to float32 rounding
        var two = cat([x, randn(1, 1, 192)], 1);
        Assert.True((norm.forward(two).narrow(1, 0, 1) - norm.forward(x)).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Rotary_embedding_of_one_token_turns_each_pair_i_and_i_plus_half_by_its_angle()
    {
        using var scope = NewDisposeScope();
        using var rotary = new RotaryEmbedding(8, 10000, null, CPU);
        var (cos, sin) = rotary.For(5, 1, float32);   // position 5
        var x = randn(1, 3, 1, 8);

        var y = RotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();

        var xs = x.data<float>().ToArray();
        for (var head = 0; head < 3; head++)
            for (var i = 0; i < 4; i++)
            {
                var angle = 5 / Math.Pow(10000, 2.0 * i / 8);
                var (a, b) = (xs[head * 8 + i], xs[head * 8 + i + 4]);
                Assert.Equal(a * Math.Cos(angle) - b * Math.Sin(angle), y[head * 8 + i], 1e-5);
                Assert.Equal(b * Math.Cos(angle) + a * Math.Sin(angle), y[head * 8 + i + 4], 1e-5);
            }
    }

    [Fact]
    public void SwiGlu_of_one_token_is_silu_of_the_gate_times_up()
    {
        using var scope = NewDisposeScope();
        var gateUp = randn(1, 1, 2 * 64) * 4;

        var y = OneToken.SwiGlu(gateUp).data<float>().ToArray();

        var g = gateUp.data<float>().ToArray();
        Assert.Equal(64, y.Length);
        for (var i = 0; i < 64; i++) Assert.True(Math.Abs(g[i] / (1 + Math.Exp(-g[i])) * g[64 + i] - y[i]) < 1e-6 * Math.Max(1, Math.Abs(y[i])), $"{i}");
    }

    [Fact]
    public void Writing_one_tokens_heads_fills_that_position_of_every_head_and_nothing_else()
    {
        using var scope = NewDisposeScope();
        var buffer = zeros(1, 3, 10, 4);
        var x = randn(1, 3, 1, 4);

        OneToken.Write(buffer, 7, x);

        Assert.True(buffer.narrow(2, 7, 1).equal(x).all().item<bool>());
        Assert.Equal(12, buffer.count_nonzero().item<long>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public void Attention_of_one_query_is_the_softmax_of_its_scaled_scores_weighting_the_values_of_its_groups_head(int? window)
    {
        using var scope = NewDisposeScope();
        // The cache's layout: 2 key/value heads with room for 16 positions, 9 of them written; 6 query heads.
        var keys = randn(1, 2, 16, 8);
        var values = randn(1, 2, 16, 8);
        var (k, v) = (keys.narrow(2, 0, 9), values.narrow(2, 0, 9));
        var q = randn(1, 6, 1, 8) * 2;
        var mask = window is { } w ? AttentionMask.Causal(1, 8, w, CPU) : null;
        Assert.True(OneToken.AppliesToAttention(q, k, v, mask));

        var y = OneToken.Attention(q, k, v, mask).data<float>().ToArray();

        var (qs, ks, vs) = (q.data<float>().ToArray(), keys.data<float>().ToArray(), values.data<float>().ToArray());
        var first = window is { } seen ? 9 - seen : 0; // a window of 4 sees positions 5–8
        for (var head = 0; head < 6; head++)
        {
            var kv = head / 3;
            var scores = Enumerable.Range(first, 9 - first)
                .Select(s => Enumerable.Range(0, 8).Sum(i => (double)qs[head * 8 + i] * ks[(kv * 16 + s) * 8 + i]) / Math.Sqrt(8)).ToArray();
            var weights = scores.Select(s => Math.Exp(s - scores.Max())).ToArray();
            for (var i = 0; i < 8; i++)
            {
                var expected = Enumerable.Range(0, weights.Length).Sum(j => weights[j] * vs[(kv * 16 + first + j) * 8 + i]) / weights.Sum();
                Assert.True(Math.Abs(expected - y[head * 8 + i]) < 1e-5, $"head {head}, {i}: {expected} vs {y[head * 8 + i]}");
            }
        }
    }

    [Fact]
    public void Several_tokens_a_batch_or_another_dtype_take_the_tensor_path()
    {
        using var scope = NewDisposeScope();
        Assert.True(OneToken.Applies(randn(1, 1, 8)));
        Assert.False(OneToken.Applies(randn(1, 2, 8)));
        Assert.True(OneToken.Applies(randn(1, 1, 8, dtype: bfloat16)));
        Assert.False(OneToken.Applies(randn(1, 1, 8, dtype: float16)));
        Assert.False(OneToken.Applies(randn(1, 1, 8, dtype: float64)));
        Assert.True(OneToken.AppliesToHeads(randn(1, 4, 1, 8)));
        Assert.False(OneToken.AppliesToHeads(randn(2, 4, 1, 8)));
        Assert.False(OneToken.AppliesToHeads(randn(1, 4, 3, 8)));
        Assert.False(OneToken.AppliesToHeads(randn(1, 8, 1, 4).transpose(1, 3)));
        var (q, k) = (randn(1, 4, 1, 8), randn(1, 2, 5, 8));
        Assert.False(OneToken.AppliesToAttention(q, k, randn(1, 2, 5, 8, dtype: bfloat16), null)); // dtypes mixed
        Assert.False(OneToken.AppliesToAttention(q, k, randn(1, 2, 8, 5).transpose(2, 3), null)); // positions not in rows
        Assert.False(OneToken.AppliesToAttention(q, k, k, zeros(1, 5)));                          // an additive mask
    }

    // bfloat16: the one-token path widens to float32 and rounds where the tensor formula rounds, so it agrees with
    // libtorch's bfloat16 path on the same token to a bfloat16 rounding (8 significant bits: 2⁻⁸ relative).
    private static void AssertWithinBfloat16Rounding(Tensor expected, Tensor actual, double roundings = 1)
    {
        Assert.Equal(bfloat16, actual.dtype);
        var (e, a) = (expected.to(float32).flatten().data<float>().ToArray(), actual.to(float32).flatten().data<float>().ToArray());
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= roundings * Math.Pow(2, -8) * Math.Max(Math.Abs(e[i]), 1e-2), $"{i}: {e[i]} vs {a[i]}");
    }

    [Fact]
    public void In_bfloat16_one_tokens_norm_rotary_and_swiglu_agree_with_the_tensor_path_to_a_rounding()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm(192, 1e-5, bfloat16, CPU);
        using (no_grad()) norm.parameters().Single().copy_(randn(192));
        var x = (randn(1, 1, 192) * 3).to(bfloat16);
        Assert.True(OneToken.Applies(x));
        AssertWithinBfloat16Rounding(norm.forward(cat([x, randn(1, 1, 192).to(bfloat16)], 1)).narrow(1, 0, 1), norm.forward(x));

        using var rotary = new RotaryEmbedding(8, 10000, null, CPU);
        var (cos, sin) = rotary.For(5, 1, bfloat16);
        var heads = randn(1, 3, 1, 8).to(bfloat16);
        var both = cat([heads, randn(1, 3, 1, 8).to(bfloat16)], 2);                   // two tokens at one angle: the tensor path
        AssertWithinBfloat16Rounding(RotaryEmbedding.Apply(both, cos, sin).narrow(2, 0, 1), RotaryEmbedding.Apply(heads, cos, sin));

        var gateUp = (randn(1, 1, 2 * 64) * 4).to(bfloat16);
        var formula = gateUp.narrow(-1, 0, 64).silu().mul_(gateUp.narrow(-1, 64, 64));
        AssertWithinBfloat16Rounding(formula, OneToken.SwiGlu(gateUp));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public void In_bfloat16_one_querys_attention_is_the_float32_attention_of_the_same_numbers_rounded(int? window)
    {
        using var scope = NewDisposeScope();
        var keys = randn(1, 2, 16, 40).to(bfloat16);                                  // 40: the vector loop and its tail
        var values = randn(1, 2, 16, 40).to(bfloat16);
        var (k, v) = (keys.narrow(2, 0, 9), values.narrow(2, 0, 9));
        var q = (randn(1, 6, 1, 40) * 2).to(bfloat16);
        var mask = window is { } w ? AttentionMask.Causal(1, 8, w, CPU) : null;
        Assert.True(OneToken.AppliesToAttention(q, k, v, mask));

        var y = OneToken.Attention(q, k, v, mask);

        // float32 on the same (widened) numbers, through the float32 path tested against the formula above
        var expected = OneToken.Attention(q.to(float32), keys.to(float32).narrow(2, 0, 9), values.to(float32).narrow(2, 0, 9), mask);
        AssertWithinBfloat16Rounding(expected, y, roundings: 1.01);
    }

    [Fact]
    public void Writing_one_bfloat16_tokens_heads_copies_its_numbers_exactly()
    {
        using var scope = NewDisposeScope();
        var buffer = zeros(1, 3, 10, 4, dtype: bfloat16);
        var x = randn(1, 3, 1, 4).to(bfloat16);

        OneToken.Write(buffer, 7, x);

        Assert.True(buffer.narrow(2, 7, 1).equal(x).all().item<bool>());
        Assert.Equal(12, buffer.count_nonzero().item<long>());
    }
}
