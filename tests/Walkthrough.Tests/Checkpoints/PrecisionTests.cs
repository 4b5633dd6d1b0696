using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>
/// What lower precision costs, measured on the bundled model over a text: how often the next-token choice stays the
/// same as in float32. The thresholds are the figures measured when the model was trained, minus a margin.
/// </summary>
public sealed class PrecisionTests
{
    private const string Text = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n" +
        "### Instruction\nCan you write an email explaining what an LLM is?\n### Response\nDear Sam,\n\nAn LLM, or large language model, " +
        "is a computer program that predicts the next token of a text. Monday, Tuesday, Wednesday, Thursday, Friday. The capital of France is Paris.";

    [Theory]
    [InlineData("bfloat16", false, 0.95)]
    [InlineData("float32", true, 0.97)]
    public void Lower_precision_keeps_the_top_choice_at_almost_every_position(string dtype, bool int8, double minimumAgreement)
    {
        using var reference = LanguageModel.Default();
        using var reduced = LanguageModel.Default(new LoadOptions { Device = "cpu", Dtype = dtype, Int8 = int8 });
        using var scope = NewDisposeScope();
        var ids = tensor(reference.Tokenizer.Encode(Text).Select(i => (long)i).ToArray(), int64).unsqueeze(0);

        var expected = reference.Module.forward(ids, null).argmax(-1);
        var actual = reduced.Module.forward(ids, null).to(float32).argmax(-1);
        var agreement = expected.eq(actual).to(float32).mean().item<float>();

        Assert.True(agreement >= minimumAgreement, $"{dtype}{(int8 ? " + int8" : "")}: top-1 agreement {agreement:0.000} over {ids.shape[1]} positions");
        if (int8)
        {
            // Each 8-bit weight saves 3 of its 4 float32 bytes; only the per-row scales are added back.
            var int8Weights = reduced.Module.parameters().Where(p => p.dtype == ScalarType.Int8).Sum(p => p.NumberOfElements);
            Assert.True(int8Weights > 0);
            Assert.True(reference.ParameterBytes - reduced.ParameterBytes >= 2.9 * int8Weights);
        }
    }
}
