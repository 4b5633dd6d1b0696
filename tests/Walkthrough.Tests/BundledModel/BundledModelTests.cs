using Walkthrough.Checkpoints;
using Walkthrough.Inference;

namespace Walkthrough.Tests.BundledModel;

/// <summary>One load of data/models/walkthrough-tiny shared by the tests that only read from it.</summary>
public sealed class BundledModelFixture : IDisposable
{
    public LanguageModel Model { get; } = LanguageModel.Default();

    public void Dispose() => Model.Dispose();
}

/// <summary>What the bundled model must do (issue: the bundled default), checked through the public API.</summary>
public sealed class BundledModelTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private LanguageModel Model => fixture.Model;

    [Fact]
    public void It_is_a_mistral_with_the_real_mistral_tokenizer()
    {
        Assert.Equal(Architecture.Mistral, Model.Config.Architecture);
        Assert.Equal(32000, Model.Config.VocabularySize);
        Assert.Equal([1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704, 28755, 349, 28804],
            Model.Tokenizer.Encode("Can you write an email explaining what an LLM is?"));
        Assert.InRange(Model.ParameterCount, 2_000_000, 20_000_000);
    }

    [Fact]
    public void After_Monday_Tuesday_Wednesday_it_puts_Thursday_first_with_probability_above_0_9()
    {
        using var session = Model.Start("Monday, Tuesday, Wednesday,");
        var step = session.Next();

        Assert.Equal("▁Thursday", step.Chosen.Text);
        Assert.True(step.Chosen.Probability > 0.9, $"p(Thursday) = {step.Chosen.Probability:0.000}");
    }

    [Theory]
    [InlineData("France", "Paris")]
    [InlineData("Japan", "Tokyo")]
    [InlineData("Italy", "Rome")]
    public void It_names_the_capital(string country, string capital)
    {
        var answer = Model.Generate($"What is the capital of {country}?", new GenerationOptions { Template = PromptTemplate.MptInstruct, MaxNewTokens = 30 });

        Assert.Contains(capital, answer.Text);
        Assert.Equal(StopReason.EndOfSequence, answer.StopReason);
    }

    [Fact]
    public void The_seed_request_gets_a_short_email_about_llms()
    {
        var answer = Model.Generate("Can you write an email explaining what an LLM is?", new GenerationOptions { Template = PromptTemplate.MptInstruct });
        var text = answer.Text.Trim();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(StopReason.EndOfSequence, answer.StopReason);
        Assert.Matches(@"^(Subject: .+|(Dear|Hi|Hello) \w+( \w+)?,)$", lines[0]);                 // opens like an e-mail
        Assert.Matches(@"^[A-Z][a-z]+$", lines[^1]);                                                // ends with a name
        Assert.Contains(lines, l => l.Contains("LLM") || l.Contains("language model"));
        Assert.All(lines.Where(l => l.Length > 40), l => Assert.Matches(@"[.!?]$", l));              // sentences end properly
        Assert.InRange(answer.NewIds.Count, 30, 200);
    }

    [Fact]
    public void The_loaded_weights_need_what_the_planner_says()
    {
        var plan = Walkthrough.Hardware.MemoryPlan.For(Model.Config, Walkthrough.Hardware.Dtype.Float32, Walkthrough.Hardware.Gpu.WithMemory("16GB"), context: 512, model: Model.Name);
        Assert.Equal(plan.WeightBytes, Model.ParameterBytes);
        Assert.Equal(plan.Parameters.Total, Model.ParameterCount);
    }
}
