using Walkthrough.Checkpoints;
using Walkthrough.Tests.Architectures;
using Walkthrough.Tests.Inference;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>A learner never sees NaN probabilities without a reason: NaN and ∞ are refused in the weights at load, and in the logits at each step.</summary>
public sealed class NonFiniteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("walkthrough-nonfinite-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(double.NaN, "1 NaN and 0 infinite values")]
    [InlineData(double.PositiveInfinity, "0 NaN and 1 infinite values")]
    [InlineData(double.NegativeInfinity, "0 NaN and 1 infinite values")]
    public void A_weight_that_is_not_a_number_is_refused_naming_the_tensor(double value, string expected)
    {
        var config = TinyModels.Mistral();
        using var model = TinyModels.Build(config);
        using (no_grad())
            model.named_parameters().Single(p => p.name == "model.layers.1.self_attn.v_proj.weight").parameter[3, 5] = value;
        LanguageModelLoadingTests.Save(model, config, _folder);

        var message = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu" })).Message;

        Assert.Contains("model.safetensors: tensor 'model.layers.1.self_attn.v_proj.weight' holds " + expected, message);
        Assert.Contains($"the first at element {3 * config.HiddenSize + 5}", message);
        Assert.Contains("download the model again", message);
    }

    [Fact]
    public void A_weight_too_big_for_float16_is_told_apart_from_a_damaged_one()
    {
        var config = TinyModels.Mistral();
        using var model = TinyModels.Build(config);
        using (no_grad())
            model.named_parameters().Single(p => p.name == "model.norm.weight").parameter[0] = 1e6;
        LanguageModelLoadingTests.Save(model, config, _folder);

        var message = Assert.Throws<WalkthroughException>(() => LanguageModel.Load(_folder, new LoadOptions { Device = "cpu", Dtype = "float16" })).Message;

        Assert.Contains("tensor 'model.norm.weight' holds values beyond Float16's range (up to 1E+06)", message);
        Assert.Contains("load the model in bfloat16 or float32", message);
    }

    [Fact]
    public void Logits_that_overflow_are_refused_before_they_become_probabilities()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using (no_grad())
            foreach (var (name, parameter) in model.Module.named_parameters().Where(p => p.name.EndsWith("norm.weight")))
                parameter.fill_(3e38f);

        var message = Assert.Throws<WalkthroughException>(() => model.Start("Monday, Tuesday").Next()).Message;

        Assert.Contains("random-mistral computed", message);
        Assert.Contains("next-token logits as NaN or ∞", message);
        Assert.Contains("load it in float32", message);
    }

    [Fact]
    public void A_trace_whose_logits_overflow_is_refused_too()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using (no_grad())
            foreach (var (name, parameter) in model.Module.named_parameters().Where(p => p.name.EndsWith("norm.weight")))
                parameter.fill_(3e38f);

        var message = Assert.Throws<WalkthroughException>(() => model.Trace("Monday, Tuesday")).Message;

        Assert.Contains("next-token logits as NaN or ∞", message);
    }
}
