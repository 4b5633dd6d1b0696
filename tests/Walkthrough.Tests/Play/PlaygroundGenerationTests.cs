using System.Text;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Play;

namespace Walkthrough.Tests.Play;

/// <summary>The playground's Generate on the bundled model, against the library's own Generate.</summary>
public sealed class PlaygroundGenerationTests
{
    [Fact]
    public async Task Generate_with_a_template_writes_the_answer_the_library_writes_and_stops_where_it_stops()
    {
        using var model = LanguageModel.Default();
        await using var playground = await Playground.StartAsync(model, new PlaygroundOptions { Port = 0 });
        using var client = new PlayClient(playground);
        var session = await client.OpenAsync();
        var prompt = await client.CallAsync(session, "prompt", new { text = "List the days of the week.", template = "mpt-instruct" });

        using var response = await client.Http.PostAsync($"/api/sessions/{session}/generate",
            new StringContent("{\"maxNewTokens\": 60}", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("event: ", StringComparison.Ordinal)).ToList();
        var done = JsonDocument.Parse(events[^1].Split("\ndata: ")[1]).RootElement;

        var expected = model.Generate("List the days of the week.", new GenerationOptions { Template = PromptTemplate.MptInstruct, MaxNewTokens = 60 });
        Assert.Equal(expected.Prompt, prompt.GetProperty("prompt").GetProperty("text").GetString());
        Assert.Equal(StopReason.EndOfSequence, expected.StopReason);
        Assert.Equal("the end-of-sequence token", done.GetProperty("reason").GetString());
        Assert.Equal(expected.Text, done.GetProperty("state").GetProperty("continuation").GetString());
        Assert.Equal(expected.NewIds, PlayClient.StepIds(done.GetProperty("state"))); // </s> (id 2) last in both
        Assert.Equal(2, expected.NewIds[^1]);
        Assert.Equal(expected.NewIds.Count + 1, events.Count); // a token event per step, then done
    }
}
