using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class KvCacheTests
{
    public static TheoryData<string> Architectures => new(["mistral", "mistral-no-window", "llama", "mpt", "gpt2"]);

    private static ModelConfig Config(string name) => name switch
    {
        "mistral" => TinyModels.Mistral(slidingWindow: 4),
        "mistral-no-window" => TinyModels.Mistral(slidingWindow: null),
        "llama" => TinyModels.Llama(),
        "mpt" => TinyModels.Mpt(),
        _ => TinyModels.Gpt2(),
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Logits_with_the_cache_equal_logits_without_it(string architecture)
    {
        using var model = TinyModels.Build(Config(architecture));
        using var scope = NewDisposeScope();
        var ids = TinyModels.Ids(3, 17, 4, 42, 8, 15, 16, 23, 9, 1);

        var full = model.forward(ids, null);                       // (1, 10, vocab): all positions at once
        using var cache = new KvCache(2);
        var steps = new List<Tensor> { model.forward(ids[.., ..6], cache) };  // prefill 6, then one token a step
        for (var t = 6; t < 10; t++) steps.Add(model.forward(ids[.., t..(t + 1)], cache));
        var cached = cat(steps, dim: 1);

        Assert.Equal(10, cache.Length);
        var difference = (full - cached).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"{architecture}: max |Δlogit| = {difference}");
    }

    [Fact]
    public void Truncating_the_cache_steps_back_to_an_earlier_position()
    {
        using var model = TinyModels.Build(TinyModels.Llama());
        using var scope = NewDisposeScope();
        using var cache = new KvCache(2);
        model.forward(TinyModels.Ids(3, 17, 4), cache);
        var first = model.forward(TinyModels.Ids(42), cache);

        model.forward(TinyModels.Ids(8), cache);
        cache.Truncate(3);
        var again = model.forward(TinyModels.Ids(42), cache);

        Assert.Equal(4, cache.Length);
        Assert.True((first - again).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void The_cache_written_in_place_returns_what_concatenation_returned_across_growing_and_truncating()
    {
        TinyModels.Build(TinyModels.Llama()).Dispose(); // starts TorchSharp
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(3);
        using var cache = new KvCache(layers: 1, maxPositions: 200);
        var keys = new List<Tensor>();
        var values = new List<Tensor>();
        void Step(long positions)
        {
            var (k, v) = (randn([1, 2, positions, 4], generator: generator), randn([1, 2, positions, 4], generator: generator));
            keys.Add(k);
            values.Add(v);
            var (allKeys, allValues) = cache.Append(0, k, v);
            Assert.True(cat(keys, dim: 2).allclose(allKeys, 0, 0), $"keys after {cache.Length} positions");
            Assert.True(cat(values, dim: 2).allclose(allValues, 0, 0), $"values after {cache.Length} positions");
        }

        Step(60);                                  // the first room: 64 positions
        for (var i = 0; i < 10; i++) Step(1);      // grows to 128 at position 65, copying what it held
        Assert.Equal(70, cache.Length);
        cache.Truncate(62);
        var kept = cat(keys, dim: 2).narrow(2, 0, 62);
        var keptValues = cat(values, dim: 2).narrow(2, 0, 62);
        (keys, values) = ([kept], [keptValues]);
        Step(3);
        Step(80);                                  // past 128: room is the context, 200
        Assert.Equal(145, cache.Length);
    }

    [Fact]
    public void Room_is_a_power_of_two_of_positions_within_the_context_and_bytes_count_the_tokens_held()
    {
        TinyModels.Build(TinyModels.Llama()).Dispose();
        using var scope = NewDisposeScope();
        using var cache = new KvCache(layers: 2, maxPositions: 100);
        var perPosition = 2L * 2 * 2 * 4 * sizeof(float); // keys + values, 2 heads × 4 dims, 2 layers
        foreach (var layer in new[] { 0, 1 }) cache.Append(layer, zeros(1, 2, 10, 4), zeros(1, 2, 10, 4));
        Assert.Equal(10 * perPosition, cache.Bytes);
        Assert.Equal(64 * perPosition, cache.ReservedBytes);
        foreach (var layer in new[] { 0, 1 }) cache.Append(layer, zeros(1, 2, 60, 4), zeros(1, 2, 60, 4));
        Assert.Equal(70 * perPosition, cache.Bytes);
        Assert.Equal(100 * perPosition, cache.ReservedBytes); // 128 would pass the context
        cache.Truncate(5);
        Assert.Equal(5 * perPosition, cache.Bytes);
        Assert.Equal(100 * perPosition, cache.ReservedBytes); // stepping back keeps the room
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_last_positions_logits_equal_the_full_forward_passs_last_row(string architecture)
    {
        using var model = TinyModels.Build(Config(architecture));
        using var scope = NewDisposeScope();
        var ids = TinyModels.Ids(3, 17, 4, 42, 8, 15);

        var full = model.forward(ids, null);
        var last = model.LastLogits(ids, null);

        Assert.Equal([1, 1, 50], last.shape);
        // The last row alone is one token's: its norms take OneToken's path, which sums in another order.
        var difference = (full[.., ^1..] - last).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"{architecture}: {difference}");
    }
}
