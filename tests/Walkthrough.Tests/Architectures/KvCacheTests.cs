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
}
