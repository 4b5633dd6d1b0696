using System.Text.Json;

namespace Walkthrough.Tests.Cli;

/// <summary>The model commands on the bundled model, as a learner would type them.</summary>
public sealed class ModelCommandsTests
{
    [Fact]
    public void Next_json_gives_each_steps_candidates_and_choice()
    {
        var (code, output, _) = CliRunner.Run("next", "Monday, Tuesday, Wednesday,", "--steps", "2", "--top", "4", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var steps = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(0, steps[0].GetProperty("step").GetInt32());
        Assert.Equal(4, steps[0].GetProperty("candidates").GetArrayLength());
        Assert.Equal("▁Thursday", steps[0].GetProperty("chosen").GetProperty("text").GetString());
        var first = steps[0].GetProperty("candidates")[0];
        Assert.Equal(first.GetProperty("id").GetInt32(), steps[0].GetProperty("chosen").GetProperty("id").GetInt32());
        Assert.True(first.GetProperty("probability").GetDouble() > 0.9);
        Assert.True(first.TryGetProperty("logit", out _));
    }

    [Fact]
    public void Generate_json_returns_only_the_answer_and_why_it_stopped()
    {
        var (code, output, _) = CliRunner.Run("generate", "List the days of the week.", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Contains("Monday", json.RootElement.GetProperty("text").GetString());
        Assert.Equal("EndOfSequence", json.RootElement.GetProperty("stop_reason").GetString());
        Assert.EndsWith("### Response\n", json.RootElement.GetProperty("prompt").GetString());
        Assert.DoesNotContain("### Instruction", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Generate_streams_the_same_text_it_returns()
    {
        var (_, streamed, _) = CliRunner.Run("generate", "List the days of the week.", "--stream");
        var (_, whole, _) = CliRunner.Run("generate", "List the days of the week.");

        Assert.Equal(whole, streamed);
        Assert.Contains("Thursday", whole);
    }

    [Fact]
    public void Walk_tells_the_whole_story()
    {
        var (code, output, _) = CliRunner.Run("walk");

        Assert.Equal(0, code);
        foreach (var heading in new[] { "1 · Text becomes tokens", "2 · Will it fit?", "3 · The model", "4 · Predicting the next token", "5 · The answer" })
            Assert.Contains(heading, output);
        Assert.Contains("20400  ▁explaining", output);
        Assert.Contains("13.64 GiB missing", output);
    }

    [Fact]
    public void Inspect_prints_the_module_tree()
    {
        var (code, output, _) = CliRunner.Run("inspect");

        Assert.Equal(0, code);
        Assert.Matches(@"0…\d+ \(\d+ × LlamaDecoderLayer\)", output);
        Assert.Contains("embed_tokens (Embedding)", output);
    }

    [Fact]
    public void Bad_sampling_values_end_in_one_line_and_exit_code_2()
    {
        var (code, output, error) = CliRunner.Run("generate", "hi", "--temperature", "1", "--top-p", "1.5");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("walkthrough: top-p 1.5 is outside (0, 1]: use e.g. 0.9, or 1 for no limit.", error.Trim());
    }

    [Fact]
    public void An_unknown_template_lists_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run("generate", "hi", "--template", "alpaca");
        Assert.Equal(2, code);
        Assert.StartsWith("walkthrough: Unknown prompt template \"alpaca\"", error);
    }
}
