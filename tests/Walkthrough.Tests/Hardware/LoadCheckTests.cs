using Walkthrough.Hardware;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Hardware;

public sealed class LoadCheckTests
{
    [Fact]
    public void After_a_load_the_plan_stands_beside_what_was_loaded()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var plan = MemoryPlan.For(model.Config, Dtype.Float32, Gpu.Named("T4"));
        var check = LoadCheck.Of(model, plan);

        // Hand count of the random Mistral: embeddings 32,000·32 (tied); per layer q 32·32, k and v 32·16 each,
        // o 32·32, MLP 3·32·64, two norms 2·32 = 9,280 a layer; final norm 32 — 1,024,000 + 2·9,280 + 32 = 1,042,592 parameters, 4 bytes each.
        Assert.Equal(1_042_592L, check.LoadedParameters);
        Assert.Equal(plan.Parameters.Total, check.LoadedParameters);
        Assert.Equal(4_170_368L, check.LoadedWeightBytes);
        Assert.Equal(0, check.WeightDifferenceBytes);
        Assert.Null(check.ProcessGpuBytes); // on the CPU
        Assert.True(check.ProcessResidentBytes > check.LoadedWeightBytes);
        Assert.Contains("parameters                   1,042,592       1,042,592   same", check.ToString());
        Assert.Contains("<td style=\"border:1px solid #d1d5db;padding:2px 8px;text-align:left\">same</td>", check.ToHtml());
    }

    [Fact]
    public void A_plan_in_another_dtype_is_refused()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var plan = MemoryPlan.For(model.Config, Dtype.Float16, Gpu.Named("T4"));

        Assert.Equal("The plan is for float16 but random-mistral was loaded in float32: plan it in float32 to compare.",
            Assert.Throws<WalkthroughException>(() => LoadCheck.Of(model, plan)).Message);
    }
}
