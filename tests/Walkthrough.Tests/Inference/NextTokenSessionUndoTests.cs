using Walkthrough.Inference;

namespace Walkthrough.Tests.Inference;

/// <summary>Undo and one-step rules: what the playground's "undo" button and sliders rely on.</summary>
public sealed class NextTokenSessionUndoTests
{
    private const string Prompt = "Monday, Tuesday, Wednesday,";

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

    [Fact]
    public void Logits_after_undo_and_a_new_step_equal_a_fresh_sessions()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var undone = model.Start(Prompt);
        undone.Next();
        undone.Next();
        undone.Next();
        undone.Undo();
        undone.Undo();
        undone.Force(" Friday");

        using var fresh = model.Start(Prompt);
        fresh.Next();
        fresh.Force(" Friday");
        using var recomputed = model.Start(Prompt, useCache: false);
        recomputed.Next();
        recomputed.Force(" Friday");

        Assert.Equal(fresh.Ids, undone.Ids);
        Assert.Equal(0, MaxDifference(fresh.LogitsForNext(), undone.LogitsForNext()));
        Assert.True(MaxDifference(recomputed.LogitsForNext(), undone.LogitsForNext()) < 1e-5);
        Assert.Equal(fresh.Next().Logits, undone.Next().Logits);
    }

    [Fact]
    public void Undo_cuts_the_kv_cache_to_the_text_and_keeps_the_undone_steps_logits()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start(Prompt);
        var first = session.Next();
        session.Next();
        var bytesPerToken = session.CacheBytes / session.CachedTokens;

        var undone = session.Undo();

        Assert.Equal(1, undone.Step);
        Assert.Equal(session.PromptLength + 1, session.Ids.Count);
        Assert.Equal(session.Ids.Count, session.CachedTokens);
        Assert.Equal(bytesPerToken * session.Ids.Count, session.CacheBytes);
        Assert.Equal(undone.Logits, session.LogitsForNext());
        Assert.Equal([first], session.Steps);
    }

    [Fact]
    public void Undo_rewinds_the_draw_so_sampling_again_repeats_the_undone_tokens()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Hello", new SamplingOptions { Temperature = 1.5, Seed = 3 });
        for (var i = 0; i < 4; i++) session.Next();
        var sampled = session.NewIds.ToList();

        for (var i = 0; i < 4; i++) session.Undo();
        Assert.Empty(session.NewIds);
        Assert.Equal(session.PromptLength, session.CachedTokens);
        for (var i = 0; i < 4; i++) session.Next();

        Assert.Equal(sampled, session.NewIds);
    }

    [Fact]
    public void Undo_works_without_the_kv_cache()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start(Prompt, useCache: false);
        var before = session.LogitsForNext();
        session.Force(" Friday");

        session.Undo();

        Assert.Equal(0, session.CachedTokens);
        Assert.Equal(session.PromptLength, session.Ids.Count);
        Assert.Equal(before, session.LogitsForNext());
    }

    [Fact]
    public void Undo_at_the_prompt_is_refused_with_a_clear_message()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start(Prompt);
        session.Next();
        session.Undo();

        var error = Assert.Throws<WalkthroughException>(() => session.Undo());
        Assert.Equal("Nothing to undo: the text is back at the prompt.", error.Message);
    }

    [Fact]
    public void A_step_with_its_own_rule_chooses_what_a_session_started_with_that_rule_chooses()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var playground = model.Start(Prompt);
        foreach (var seed in new ulong[] { 1, 2, 3, 4, 5, 6 })
        {
            var rule = new SamplingOptions { Temperature = 2, TopK = 50, TopP = 0.95, Seed = seed };
            using var started = model.Start(Prompt, rule);

            var step = playground.Next(rule);
            var expected = started.Next();

            Assert.Equal(expected.Chosen, step.Chosen);
            Assert.Equal(expected.Rule, step.Rule);
            Assert.Contains($"seed {seed}", step.Rule);
            playground.Undo();
        }
        var greedy = playground.Next(SamplingOptions.Greedy);
        Assert.Equal(greedy.Candidates[0].Id, greedy.Chosen.Id);
    }

    [Fact]
    public void A_step_with_a_rule_out_of_range_is_refused_and_changes_nothing()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start(Prompt);

        var error = Assert.Throws<WalkthroughException>(() => session.Next(new SamplingOptions { Temperature = 1, TopP = 1.5 }));

        Assert.StartsWith("top-p 1.5 is outside (0, 1]", error.Message);
        Assert.Empty(session.Steps);
    }
}
