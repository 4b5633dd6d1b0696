using Walkthrough.Inference;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Inside;

/// <summary>
/// What the playground traces: <c>model.Trace(ids)</c>, a text as its ids stand (a session's, with forced tokens), not as
/// reading it again would cut it; and <c>trace.Lens(top, positions)</c>, the columns a grown text added.
/// </summary>
public sealed class TraceOfASessionTests
{
    private const string Prompt = "Monday, Tuesday, Wednesday,";

    [Fact]
    public void The_prompts_ids_trace_as_the_prompt_does()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var byText = model.Trace(Prompt);
        using var byIds = model.Trace(model.Tokenizer.Encode(Prompt));

        Assert.Equal(byText.Tokens.Select(t => (t.Id, t.Text, t.Kind)), byIds.Tokens.Select(t => (t.Id, t.Text, t.Kind)));
        Assert.Equal(byText.NextLogits, byIds.NextLogits);
        Assert.Equal(byText.Attention(1, 2).Weights, byIds.Attention(1, 2).Weights);
        Assert.Equal(byText.Lens(3).Layers.SelectMany(l => l.Positions.SelectMany(p => p.Top)),
            byIds.Lens(3).Layers.SelectMany(l => l.Positions.SelectMany(p => p.Top)));
    }

    [Fact]
    public void Forced_pieces_are_traced_as_they_are_and_the_lens_ends_in_the_sessions_own_prediction()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var session = model.Start("Monday");
        session.Force(model.Tokenizer.IdOf("▁Th")!.Value);
        session.Force(model.Tokenizer.IdOf("ursday")!.Value);
        var decoded = model.Tokenizer.Decode(session.Ids, skipSpecialTokens: true);
        Assert.NotEqual(model.Tokenizer.Encode(decoded), session.Ids); // reading the text again would give ▁Thursday, one token

        using var trace = model.Trace(session.Ids);

        Assert.Equal(session.Ids, trace.Tokens.Select(t => t.Id));
        Assert.Equal(["<s>", "▁Monday", "▁Th", "ursday"], trace.Tokens.Select(t => t.Text));
        Assert.Equal(" Monday Thursday", trace.Prompt);
        Assert.Equal([(0, 0), (0, 7), (7, 10), (10, 16)], trace.Tokens.Select(t => (t.Start, t.End)));
        // The session predicts with its KV cache, one token at a time; the trace reads the whole text at once.
        var probabilities = Sampling.Softmax(session.LogitsForNext());
        var last = trace.Lens().Final.Positions[^1].Best;
        Assert.Equal(Sampling.ArgMax(probabilities), last.Id);
        Assert.Equal(probabilities[last.Id], last.Probability, 5);
    }

    [Fact]
    public void The_lens_of_some_positions_is_those_columns_of_the_whole_lens()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace(Prompt);
        var whole = trace.Lens(3);

        var tail = trace.Lens(3, 4..);
        var one = trace.Lens(2, ^1..);

        Assert.Equal(trace.Tokens.Skip(4), tail.Tokens);
        Assert.Equal(whole.Layers.Count, tail.Layers.Count);
        foreach (var (part, all) in tail.Layers.Zip(whole.Layers))
        {
            Assert.Equal(all.Positions.Skip(4).SelectMany(p => p.Top.Select(g => g.Id)), part.Positions.SelectMany(p => p.Top.Select(g => g.Id)));
            Assert.All(part.Positions.SelectMany(p => p.Top).Zip(all.Positions.Skip(4).SelectMany(p => p.Top)),
                pair => Assert.Equal(pair.Second.Probability, pair.First.Probability, 6));
        }
        Assert.Equal(whole.At(^1).Layers.Select(l => l.Positions[0].Top[1].Id), one.Layers.Select(l => l.Positions[0].Top[1].Id));
        Assert.StartsWith("Positions 3..3 are not a run of the prompt's 7 tokens", Assert.Throws<WalkthroughException>(() => trace.Lens(1, 3..3)).Message);
        Assert.StartsWith("Positions 5..9 are not a run", Assert.Throws<WalkthroughException>(() => trace.Lens(1, 5..9)).Message);
    }

    [Fact]
    public void Ids_that_cannot_be_traced_are_refused_with_what_to_do()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 8);

        Assert.Equal("There are no token ids to trace: give the model at least one token.",
            Assert.Throws<WalkthroughException>(() => model.Trace(Array.Empty<int>())).Message);
        Assert.Equal("9 tokens are more than random-mistral reads at once (8): trace fewer.",
            Assert.Throws<WalkthroughException>(() => model.Trace(Enumerable.Repeat(1, 9).ToList())).Message);
        Assert.StartsWith("Token id 32000 is outside the",
            Assert.Throws<WalkthroughException>(() => model.Trace([1, 32000])).Message);
    }
}
