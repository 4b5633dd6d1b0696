using Walkthrough.Inference;

namespace Walkthrough.Tests.Inference;

public sealed class NextTokenSessionTests
{
    [Fact]
    public void A_greedy_step_chooses_the_top_candidate_and_reports_a_proper_distribution()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Monday, Tuesday, Wednesday,");

        var step = session.Next();

        Assert.Equal(32000, step.Probabilities.Length);
        Assert.Equal(1, step.Probabilities.Sum(), 6);
        Assert.Equal(step.Candidates[0].Id, step.Chosen.Id);
        Assert.Equal(1, step.Chosen.Rank);
        Assert.Equal(10, step.Candidates.Count);
        Assert.True(step.Candidates.Zip(step.Candidates.Skip(1)).All(pair => pair.First.Probability >= pair.Second.Probability));
        Assert.Equal(step.Candidates.Take(3).Sum(c => c.Probability), step.Candidates[2].CumulativeProbability, 9);
        Assert.Equal(step.Chosen.Id, session.Ids[^1]);
        Assert.Equal(session.PromptLength + 1, session.Ids.Count);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.3)] // the step's probabilities come from the penalized logits
    public void A_forced_steps_probabilities_are_the_softmax_of_its_logits_and_its_row_is_where_they_rank_it(double penalty)
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Monday, Monday, Tuesday,", SamplingOptions.Greedy with { RepetitionPenalty = penalty });
        var seen = session.Ids.ToList();
        var logits = session.LogitsForNext();
        var scores = Sampling.PenalizeRepetition(logits, seen, penalty);
        var unlikely = Enumerable.Range(0, scores.Length).MinBy(i => scores[i]); // far outside the candidates

        var step = session.Force(unlikely);

        var expected = Sampling.Softmax(scores);
        Assert.Equal(expected, step.Probabilities);
        Assert.Equal(expected[unlikely], step.Chosen.Probability);
        var order = Enumerable.Range(0, expected.Length).OrderByDescending(i => expected[i]).ThenBy(i => i).ToList();
        Assert.Equal(order.IndexOf(unlikely) + 1, step.Chosen.Rank);
        Assert.Equal(order.Take(step.Chosen.Rank).Sum(i => expected[i]), step.Chosen.CumulativeProbability, 9);
        Assert.Equal(order.Take(10), step.Candidates.Select(c => c.Id));
    }

    [Fact]
    public void Logits_with_and_without_the_kv_cache_agree_within_1e_5()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var cached = model.Start("Can you write an email explaining what an LLM is?", useCache: true);
        using var uncached = model.Start("Can you write an email explaining what an LLM is?", useCache: false);

        for (var i = 0; i < 6; i++)
        {
            var a = cached.Next();
            var b = uncached.Next();
            Assert.Equal(a.Chosen.Id, b.Chosen.Id);
            Assert.True(a.Logits.Zip(b.Logits).Max(p => Math.Abs(p.First - p.Second)) < 1e-5, $"step {i}");
            Assert.Equal(1, a.TokensComputed > 1 ? 1 : a.TokensComputed);
            Assert.Equal(uncached.Ids.Count - 1, b.TokensComputed);
        }
    }

    [Fact]
    public void Seeded_sampling_repeats_exactly_and_another_seed_differs()
    {
        using var model = TinyLanguageModels.RandomMistral();
        IReadOnlyList<int> Run(ulong seed)
        {
            using var session = model.Start("Hello", new SamplingOptions { Temperature = 1.5, Seed = seed });
            for (var i = 0; i < 12; i++) session.Next();
            return session.NewIds;
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void Greedy_generation_is_identical_run_to_run()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var options = new GenerationOptions { MaxNewTokens = 10, StopAtEos = false };
        Assert.Equal(model.Generate("Once upon a time", options).NewIds, model.Generate("Once upon a time", options).NewIds);
    }

    [Fact]
    public void Forcing_a_token_appends_it_and_shows_what_the_model_preferred()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Monday, Tuesday, Wednesday,");

        var step = session.Force(" Friday");

        Assert.Equal(model.Tokenizer.IdOf("▁Friday"), step.Chosen.Id);
        Assert.Equal("forced by you", step.Rule);
        Assert.Equal(step.Chosen.Id, session.Ids[^1]);
        Assert.Equal(" Friday", session.NewText);
    }

    [Fact]
    public void Forcing_text_that_is_several_tokens_is_refused()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Hi");
        var error = Assert.Throws<WalkthroughException>(() => session.Force(" LLM"));
        Assert.StartsWith("No single token is \" LLM\" (it tokenizes as ▁ ▁LL M)", error.Message);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_refused_or_cut_from_the_left()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 16);
        var prompt = string.Join(" ", Enumerable.Repeat("word", 40));

        var error = Assert.Throws<WalkthroughException>(() => model.Start(prompt));
        Assert.Contains("reads at most 16", error.Message);
        Assert.Contains("truncate from the left", error.Message);

        using var session = model.Start(prompt, truncateFromLeft: true);
        Assert.Equal(15, session.PromptLength);
        Assert.Equal(model.Tokenizer.Encode(prompt).TakeLast(15), session.Ids);
    }
}

public sealed class StepPictureTests
{
    [Fact]
    public void Pictures_hold_one_bar_per_candidate_and_one_heatmap_column_per_step()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Hello");
        var steps = Enumerable.Range(0, 3).Select(_ => session.Next()).ToList();

        var bars = Assert.IsType<Walkthrough.Display.BarLayer>(Assert.Single(steps[0].Chart().Layers));
        Assert.Equal(steps[0].Candidates.Select(c => c.Probability), bars.Series[0].Data.Select(d => d.Value));

        var heat = Assert.IsType<Walkthrough.Display.HeatmapLayer>(Assert.Single(session.Heatmap(candidatesPerStep: 2).Layers));
        Assert.Equal(3, heat.Columns.Count);
        Assert.All(heat.Values, row => Assert.Equal(3, row.Count));

        var html = Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(steps[0], "text/html");
        Assert.Contains("background:#fef9c3", html); // the chosen row is marked
        Assert.Contains("Entropy", html);
    }
}
