using Walkthrough.Inference;
using Walkthrough.Tests.BundledModel;

namespace Walkthrough.Tests.Inference;

/// <summary>What a step tells about itself on the bundled model: what the rules cut, the end of the text, its time.</summary>
public sealed class NextTokenStepTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    [Fact]
    public void A_sampled_step_marks_the_candidates_top_k_cut_and_never_draws_one()
    {
        using var session = fixture.Model.Start("The capital of France is", new SamplingOptions { Temperature = 1.2, TopK = 3, Seed = 7 });
        var step = session.Next();

        Assert.Equal([null, null, null], step.Candidates.Take(3).Select(c => c.CutBy));
        Assert.All(step.Candidates.Skip(3), c => Assert.Equal(SamplingCut.TopK, c.CutBy));
        Assert.True(step.Chosen.Kept);
        Assert.Contains("  cut by top-k", step.ToString());
        Assert.Contains("cut by top-k", step.ToDisplayHtml());
    }

    [Fact]
    public void Top_p_cuts_after_the_tokens_that_reach_p()
    {
        using var session = fixture.Model.Start("The capital of France is", new SamplingOptions { Temperature = 1, TopP = 0.5 });
        var step = session.Next();

        // The first candidate already holds more than half the probability: top-p 0.5 keeps it alone.
        Assert.True(step.Candidates[0].Probability >= 0.5, $"p = {step.Candidates[0].Probability}");
        Assert.True(step.Candidates[0].Kept);
        Assert.All(step.Candidates.Skip(1), c => Assert.Equal(SamplingCut.TopP, c.CutBy));
    }

    [Fact]
    public void Greedy_decoding_stops_at_the_end_of_text_token_and_says_what_it_is()
    {
        using var session = fixture.Model.Start("What is the capital of Japan? The capital of Japan is");
        while (!session.Ended && session.Steps.Count < 30) session.Next();

        Assert.True(session.Ended, "the model never chose </s>");
        var last = session.Steps[^1];
        Assert.Equal("</s>", last.Chosen.Text);
        Assert.True(last.EndsText);
        Assert.All(session.Steps.SkipLast(1), s => Assert.False(s.EndsText));
        Assert.Equal("</s> is the end-of-text token: the model says the text is finished.", last.EndNote);
        Assert.Contains(last.EndNote, last.ToString());
        Assert.Equal(" Tokyo.", session.NewText);
    }

    [Fact]
    public void Each_step_times_the_forward_pass_that_gave_its_logits()
    {
        using var cached = fixture.Model.Start("Monday, Tuesday, Wednesday,", useCache: true);
        using var uncached = fixture.Model.Start("Monday, Tuesday, Wednesday,", useCache: false);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(cached.Next().Elapsed > TimeSpan.Zero);
            Assert.True(uncached.Next().Elapsed > TimeSpan.Zero);
        }
    }

    [Fact]
    public void A_newline_byte_token_reads_as_a_newline()
    {
        Assert.Equal("<0x0A>", fixture.Model.Tokenizer.PieceOf(13));
        Assert.Equal(("\\n", Walkthrough.Tokens.TokenKind.Byte), fixture.Model.Tokenizer.Describe(13));
        Assert.Equal(("<0xF0>", Walkthrough.Tokens.TokenKind.Byte), fixture.Model.Tokenizer.Describe(0xF0 + 3));
    }

    [Fact]
    public void Generation_refuses_an_empty_instruction_and_a_limit_past_the_context()
    {
        var options = new GenerationOptions { Template = PromptTemplate.MptInstruct };
        Assert.StartsWith("The instruction is empty", Assert.Throws<WalkthroughException>(() => fixture.Model.Generate(" \n", options)).Message);
        Assert.StartsWith("max new tokens 513 is more than walkthrough-tiny can ever write: its context holds 512 tokens",
            Assert.Throws<WalkthroughException>(() => fixture.Model.Generate("Hi", options with { MaxNewTokens = 513 })).Message);
    }
}

internal static class StepDisplay
{
    public static string ToDisplayHtml(this NextTokenStep step) => Walkthrough.Display.StepHtml.Render(step);
}
