using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

/// <summary>The pieces a learner can check with pen and paper: RoPE angles, ALiBi slopes, RMSNorm, the masks.</summary>
public sealed class PositionAndMaskTests
{
    public PositionAndMaskTests() => TorchRuntime.Ensure();

    [Fact]
    public void Rope_rotates_each_pair_by_position_times_its_frequency()
    {
        // head_dim 4, θ = 10000: frequencies 1 and 10000^(-1/2) = 0.01; at position 2 the angles are 2 and 0.02.
        using var rope = new RotaryEmbedding(4, 10000, null, CPU);
        var (cos, sin) = rope.For(2, 1, float32);
        using var x = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 1, 4);

        var y = RotaryEmbedding.Apply(x, cos, sin).flatten().data<float>().ToArray();

        // Pairs are (x0, x2) and (x1, x3): (x0 cos a − x2 sin a, x2 cos a + x0 sin a).
        double[] expected =
        [
            1 * Math.Cos(2) - 3 * Math.Sin(2), 2 * Math.Cos(0.02) - 4 * Math.Sin(0.02),
            3 * Math.Cos(2) + 1 * Math.Sin(2), 4 * Math.Cos(0.02) + 2 * Math.Sin(0.02),
        ];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 5);
    }

    [Fact]
    public void Linear_rope_scaling_by_two_puts_position_4_where_position_2_was()
    {
        using var plain = new RotaryEmbedding(8, 10000, null, CPU);
        using var scaled = new RotaryEmbedding(8, 10000, new RopeScaling("linear", 2, new Dictionary<string, double> { ["factor"] = 2 }), CPU);

        var (cosPlain, _) = plain.For(2, 1, float32);
        var (cosScaled, _) = scaled.For(4, 1, float32);

        Assert.True((cosPlain - cosScaled).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void An_unsupported_rope_scaling_is_named()
    {
        var error = Assert.Throws<WalkthroughException>(() => new RotaryEmbedding(8, 10000, new RopeScaling("yarn", 4, new Dictionary<string, double>()), CPU));
        Assert.Contains("\"yarn\"", error.Message);
    }

    [Fact]
    public void Alibi_slopes_for_8_heads_halve_from_one_half()
    {
        Assert.Equal([1 / 2.0, 1 / 4.0, 1 / 8.0, 1 / 16.0, 1 / 32.0, 1 / 64.0, 1 / 128.0, 1 / 256.0], Alibi.Slopes(8, 8));
    }

    [Fact]
    public void Alibi_slopes_for_6_heads_interleave_the_8_head_series()
    {
        // 8-head series s1..s8 = 2^-1..2^-8; odd indices first (s2, s4, s6, s8), then even (s1, s3, ...), first six.
        Assert.Equal([1 / 4.0, 1 / 16.0, 1 / 64.0, 1 / 256.0, 1 / 2.0, 1 / 8.0], Alibi.Slopes(6, 8));
    }

    [Fact]
    public void Alibi_bias_penalises_distance_and_hides_the_future()
    {
        using var slopes = tensor(new float[] { 0.5f });
        var bias = Alibi.Bias(slopes, queries: 3, past: 0, float32)[0]; // (3, 3)

        // Row i, key j: 0.5 × (j − 2) where j ≤ i, −∞ after.
        Assert.Equal(new float[] { -1, float.NegativeInfinity, float.NegativeInfinity }, bias[0].data<float>().ToArray());
        Assert.Equal(new float[] { -1, -0.5f, float.NegativeInfinity }, bias[1].data<float>().ToArray());
        Assert.Equal(new float[] { -1, -0.5f, 0 }, bias[2].data<float>().ToArray());
    }

    [Fact]
    public void Rms_norm_divides_by_the_root_mean_square()
    {
        using var norm = new RmsNorm(2, 0, float32, CPU);
        using var x = tensor(new float[] { 3, 4 });

        // rms = √((9 + 16) / 2) = √12.5
        var y = norm.forward(x).data<float>().ToArray();

        Assert.Equal(3 / Math.Sqrt(12.5), y[0], 5);
        Assert.Equal(4 / Math.Sqrt(12.5), y[1], 5);
    }

    [Fact]
    public void The_sliding_window_mask_keeps_only_the_last_window_of_keys()
    {
        // 3 new queries at positions 2, 3, 4 after 2 cached tokens, window 2: each sees itself and the one before.
        var mask = AttentionMask.Causal(3, 2, window: 2, CPU);

        bool[][] expected = [[false, true, true, false, false], [false, false, true, true, false], [false, false, false, true, true]];
        for (var row = 0; row < 3; row++) Assert.Equal(expected[row], mask[row].data<bool>().ToArray());
    }

    [Theory]
    [InlineData(5, 0, null, false)]  // a prompt read whole: SDPA's causal rule
    [InlineData(5, 0, 8, false)]     // ... within the window
    [InlineData(9, 0, 8, true)]      // ... longer than the window
    [InlineData(1, 40, null, false)] // a decode step sees every cached key
    [InlineData(1, 7, 8, false)]     // ... the window's last key is the first cached one
    [InlineData(1, 8, 8, true)]      // ... the first cached key has left the window
    [InlineData(3, 2, null, true)]   // several new tokens after cached ones
    public void A_mask_is_built_only_where_sdpa_alone_would_attend_wrongly(long queries, long past, int? window, bool built)
    {
        using var mask = AttentionMask.For(queries, past, window, CPU);

        Assert.Equal(built, mask is not null);
        Assert.Equal(mask is null && queries > 1, AttentionMask.IsCausal(mask, queries));
        if (mask is null) return;
        using var expected = AttentionMask.Causal(queries, past, window, CPU);
        Assert.True(mask.eq(expected).all().item<bool>());
    }

    [Fact]
    public void With_one_layer_a_token_outside_the_window_cannot_change_the_last_logits()
    {
        using var model = TinyModels.Build(TinyModels.Mistral(slidingWindow: 3, layers: 1));
        using var scope = NewDisposeScope();

        var a = model.forward(TinyModels.Ids(5, 6, 7, 8, 9, 10), null)[0, -1];
        var b = model.forward(TinyModels.Ids(33, 6, 7, 8, 9, 10), null)[0, -1];   // position 0 is 5 tokens back
        var c = model.forward(TinyModels.Ids(5, 6, 7, 33, 9, 10), null)[0, -1];   // position 3 is inside the window

        Assert.True((a - b).abs().max().item<float>() < 1e-6);
        Assert.True((a - c).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Int8_rows_are_within_half_a_step_of_the_full_weight()
    {
        using var scope = NewDisposeScope();
        var weight = randn(16, 32, generator: new TorchSharp.torch.Generator(3));
        var q = empty(16, 32, int8);
        var scales = empty(16, float32);

        Int8Linear.Quantize(weight, q, scales);

        var restored = q.to(float32) * scales.unsqueeze(1);
        var error = (restored - weight).abs().amax([1]);
        Assert.True((error <= scales / 2 + 1e-6).all().item<bool>());
        Assert.Equal(127, q.abs().amax([1]).to(int32).data<int>().ToArray().Min()); // every row uses the full range
    }
}
