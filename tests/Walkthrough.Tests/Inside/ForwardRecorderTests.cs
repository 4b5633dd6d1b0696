using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Tests.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Inside;

/// <summary>
/// The trace hook of every architecture file against <see cref="ReferenceForward"/>, a forward pass recomputed by
/// hand from the same weights: attention probabilities (RoPE, grouped heads, Mistral's window, ALiBi), residual
/// streams, and the final norm and head.
/// </summary>
public sealed class ForwardRecorderTests
{
    private static readonly int[] Prompt = [3, 17, 4, 42, 8, 15, 16]; // 7 tokens: longer than Mistral's window of 4

    public static TheoryData<string> Architectures => new(["mistral", "mistral-no-window", "llama", "qwen2", "mpt", "gpt2"]);

    internal static ModelConfig Config(string name) => name switch
    {
        "mistral" => TinyModels.Mistral(slidingWindow: 4),
        "mistral-no-window" => TinyModels.Mistral(slidingWindow: null),
        "llama" => TinyModels.Llama(),
        "qwen2" => TinyModels.Qwen2(),
        "mpt" => TinyModels.Mpt(heads: 4),
        _ => TinyModels.Gpt2(),
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Attention_probabilities_equal_a_softmax_computed_by_hand_from_the_weights(string architecture)
    {
        var config = Config(architecture);
        using var model = TinyModels.Build(config);
        var expected = new ReferenceForward(config, model).Run(Prompt).Attention;

        var (_, attention) = Record(model, config, Enumerable.Range(0, config.Layers).ToHashSet(), heads: null);

        for (var layer = 0; layer < config.Layers; layer++)
        {
            var actual = attention[layer];
            Assert.Equal(new long[] { config.Heads, Prompt.Length, Prompt.Length }, actual.shape);
            for (var head = 0; head < config.Heads; head++)
                for (var q = 0; q < Prompt.Length; q++)
                {
                    var row = actual[head, q].data<float>().ToArray();
                    for (var k = 0; k < Prompt.Length; k++)
                        Assert.True(Math.Abs(row[k] - expected[layer][head][q][k]) < 1e-5,
                            $"{architecture} layer {layer} head {head} [{q},{k}]: {row[k]} vs {expected[layer][head][q][k]}");
                }
        }
        Dispose(attention);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Residual_streams_and_logits_equal_the_hand_computed_forward_pass(string architecture)
    {
        var config = Config(architecture);
        using var model = TinyModels.Build(config);
        var (residuals, _, logits) = new ReferenceForward(config, model).Run(Prompt);

        var (recorded, attention) = Record(model, config, [], heads: null);
        using var scope = NewDisposeScope();
        var forward = model.forward(TinyModels.Ids(Prompt.Select(i => (long)i).ToArray()), null)[0];

        Assert.Equal(config.Layers + 1, recorded.Length);
        for (var layer = 0; layer <= config.Layers; layer++)
            AssertClose(residuals[layer], recorded[layer], 1e-4, $"{architecture} residual {layer}");
        AssertClose(logits, forward, 1e-4, $"{architecture} logits");
        Assert.Empty(attention);
        Dispose(recorded);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_lens_on_the_last_residual_stream_is_the_forward_pass_logits(string architecture)
    {
        var config = Config(architecture);
        using var model = TinyModels.Build(config);
        var (recorded, _) = Record(model, config, [], heads: null);
        using var scope = NewDisposeScope();

        var lens = model.Unembed(recorded[^1]);
        var forward = model.forward(TinyModels.Ids(Prompt.Select(i => (long)i).ToArray()), null)[0];

        Assert.True((lens - forward).abs().max().item<float>() < 1e-5);
        Dispose(recorded);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Rows_sum_to_one_and_nothing_goes_to_the_future_or_outside_the_window(string architecture)
    {
        var config = Config(architecture);
        using var model = TinyModels.Build(config);
        var (_, attention) = Record(model, config, [1], heads: null);
        var window = config.Architecture is Architecture.Mistral ? config.SlidingWindow : null;

        var probabilities = attention[1];
        for (var head = 0; head < config.Heads; head++)
            for (var q = 0; q < Prompt.Length; q++)
            {
                var row = probabilities[head, q].data<float>().ToArray();
                Assert.True(Math.Abs(row.Sum() - 1) < 1e-5, $"row {q} sums to {row.Sum()}");
                for (var k = 0; k < Prompt.Length; k++)
                {
                    var hidden = k > q || (window is { } w && q - k >= w);
                    if (hidden) Assert.Equal(0f, row[k]);
                    else Assert.True(row[k] > 0, $"{architecture} head {head} [{q},{k}] may look but got 0");
                }
            }
        Dispose(attention);
    }

    [Fact]
    public void Chosen_heads_are_the_same_numbers_as_in_a_trace_of_every_head_and_share_the_right_key_value_head()
    {
        // Mistral's 4 query heads share 2 key/value heads: heads 1 and 3 read key/value heads 0 and 1.
        var config = Config("mistral");
        using var model = TinyModels.Build(config);
        var (_, all) = Record(model, config, [0], heads: null);
        var (_, chosen) = Record(model, config, [0], heads: [1, 3]);
        var expected = new ReferenceForward(config, model).Run(Prompt).Attention[0];

        Assert.Equal(new long[] { 2, Prompt.Length, Prompt.Length }, chosen[0].shape);
        using var scope = NewDisposeScope();
        Assert.True((chosen[0][0] - all[0][1]).abs().max().item<float>() == 0);
        Assert.True((chosen[0][1] - all[0][3]).abs().max().item<float>() == 0);
        Assert.True(Math.Abs(chosen[0][1, 6, 5].item<float>() - expected[3][6][5]) < 1e-5);
        Dispose(all);
        Dispose(chosen);
    }

    [Fact]
    public void Alibi_scores_follow_the_paper_slopes_so_a_farther_key_loses_exactly_slope_times_distance()
    {
        // With equal keys (one token repeated) every q·k is the same, so the log-ratio of two probabilities in a
        // row is ALiBi's bias alone: slope_h × (k₁ − k₂), slope_h = 2^(−8(h+1)/4) for 4 heads.
        var config = Config("mpt");
        using var model = TinyModels.Build(config);
        var (_, attention) = Record(model, config, [0], heads: null, prompt: [9, 9, 9, 9, 9]);

        for (var head = 0; head < 4; head++)
        {
            var row = attention[0][head, 4].data<float>().ToArray();
            var slope = Math.Pow(2, -8.0 * (head + 1) / 4);
            for (var k = 0; k < 4; k++) Assert.Equal(slope, Math.Log(row[k + 1] / row[k]), 4);
        }
        Dispose(attention);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_forward_pass_without_a_recorder_gives_the_same_logits_as_one_with(string architecture)
    {
        var config = Config(architecture);
        using var model = TinyModels.Build(config);
        using var scope = NewDisposeScope();
        var ids = TinyModels.Ids(Prompt.Select(i => (long)i).ToArray());

        var before = model.forward(ids, null);
        using (var recorder = new ForwardRecorder(config.Layers, Enumerable.Range(0, config.Layers).ToHashSet(), null))
        {
            var traced = model.forward(ids, null, recorder);
            Assert.True((before - traced).abs().max().item<float>() == 0);
        }
        var after = model.forward(ids, null);

        Assert.True((before - after).abs().max().item<float>() == 0);
    }

    [Fact]
    public void With_a_kv_cache_the_recorder_sees_every_cached_key()
    {
        // A decode step after a 5-token prefill: one query row over 6 keys, equal to the last row of a full pass.
        var config = Config("gpt2");
        using var model = TinyModels.Build(config);
        var (_, full) = Record(model, config, [1], heads: null, prompt: [3, 17, 4, 42, 8, 15]);
        using var cache = new KvCache(config.Layers);
        using var scope = NewDisposeScope();
        model.forward(TinyModels.Ids(3, 17, 4, 42, 8), cache);

        using var recorder = new ForwardRecorder(config.Layers, new HashSet<int> { 1 }, null);
        model.forward(TinyModels.Ids(15), cache, recorder);
        var (residuals, step) = recorder.Take();

        Assert.Equal(new long[] { config.Heads, 1, 6 }, step[1].shape);
        Assert.True((step[1][.., 0] - full[1][.., 5]).abs().max().item<float>() < 1e-5);
        Dispose(full);
        Dispose(step);
        Dispose(residuals);
    }

    private static (Tensor[] Residuals, IReadOnlyDictionary<int, Tensor> Attention) Record(
        CausalLanguageModel model, ModelConfig config, IEnumerable<int> layers, IReadOnlyList<int>? heads, int[]? prompt = null)
    {
        using var recorder = new ForwardRecorder(config.Layers, layers.ToHashSet(), heads);
        using (var scope = NewDisposeScope())
        using (no_grad())
            model.forward(TinyModels.Ids((prompt ?? Prompt).Select(i => (long)i).ToArray()), null, recorder);
        return recorder.Take();
    }

    private static void AssertClose(double[][] expected, Tensor actual, double tolerance, string what)
    {
        var rows = actual.shape[0];
        Assert.Equal(expected.Length, rows);
        for (var r = 0; r < rows; r++)
        {
            var row = actual[r].data<float>().ToArray();
            var worst = row.Select((v, i) => Math.Abs(v - expected[r][i])).Max();
            Assert.True(worst < tolerance, $"{what}, row {r}: max |Δ| = {worst}");
        }
    }

    private static void Dispose(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) t.Dispose();
    }

    private static void Dispose(IReadOnlyDictionary<int, Tensor> tensors) => Dispose(tensors.Values);
}
