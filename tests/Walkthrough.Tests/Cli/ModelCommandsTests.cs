using System.Text.Json;

namespace Walkthrough.Tests.Cli;

/// <summary>The model commands on the bundled model, as a learner would type them.</summary>
public sealed class ModelCommandsTests
{
    [Fact]
    public void Next_json_gives_the_rule_and_each_steps_candidates_choice_entropy_and_time()
    {
        var (code, output, _) = CliRunner.Run("next", "Monday, Tuesday, Wednesday,", "--steps", "2", "--top", "4", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        var sampling = json.RootElement.GetProperty("sampling");
        Assert.Equal("greedy", sampling.GetProperty("mode").GetString());
        Assert.Equal(0, sampling.GetProperty("temperature").GetDouble());
        Assert.Equal(42UL, sampling.GetProperty("seed").GetUInt64());
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(0, steps[0].GetProperty("step").GetInt32());
        Assert.Equal(4, steps[0].GetProperty("candidates").GetArrayLength());
        var chosen = steps[0].GetProperty("chosen");
        Assert.Equal("▁Thursday", chosen.GetProperty("piece").GetString());
        Assert.Equal(" Thursday", chosen.GetProperty("text").GetString());
        Assert.Equal("text", chosen.GetProperty("kind").GetString());
        var first = steps[0].GetProperty("candidates")[0];
        Assert.Equal(first.GetProperty("id").GetInt32(), chosen.GetProperty("id").GetInt32());
        Assert.True(first.GetProperty("probability").GetDouble() > 0.9);
        Assert.True(first.GetProperty("kept").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("cut_by").ValueKind);
        // Probabilities to 4 significant digits, logits to 3 decimals: no 16-digit noise.
        Assert.All(steps[0].GetProperty("candidates").EnumerateArray(), c =>
        {
            Assert.True(c.GetProperty("probability").GetRawText().TrimStart('0', '.').Replace("E", "e").Split('e')[0].Replace(".", "").Length <= 4);
            Assert.Equal(Math.Round(c.GetProperty("logit").GetDouble(), 3), c.GetProperty("logit").GetDouble());
        });
        var entropy = steps[0].GetProperty("entropy_bits").GetDouble();
        Assert.InRange(entropy, 0.0001, 1);
        Assert.Equal("greedy: the most likely token", steps[0].GetProperty("rule").GetString());
        Assert.False(steps[0].GetProperty("ends_text").GetBoolean());
        Assert.True(steps[0].GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(" Thursday,", json.RootElement.GetProperty("new_text").GetString());
    }

    [Fact]
    public void Next_with_top_k_marks_the_rows_the_rule_cut()
    {
        var (code, output, _) = CliRunner.Run("next", "Monday, Tuesday, Wednesday,", "--top-k", "3", "--temperature", "1", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var candidates = json.RootElement.GetProperty("steps")[0].GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(10, candidates.Count);
        Assert.All(candidates.Take(3), c => Assert.True(c.GetProperty("kept").GetBoolean()));
        Assert.All(candidates.Skip(3), c => Assert.Equal("top_k", c.GetProperty("cut_by").GetString()));
        Assert.Equal("sampled", json.RootElement.GetProperty("sampling").GetProperty("mode").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("sampling").GetProperty("top_k").GetInt32());

        var (_, table, _) = CliRunner.Run("next", "Monday, Tuesday, Wednesday,", "--top-k", "3", "--temperature", "1");
        var rows = table.Split('\n').Where(line => line.StartsWith("│ ", StringComparison.Ordinal) && !line.Contains("rank")).ToList();
        Assert.Equal(10, rows.Count);
        Assert.All(rows.Take(3), row => Assert.Contains("kept", row));
        Assert.All(rows.Skip(3), row => Assert.Contains("top-k cut", row));
    }

    [Fact]
    public void Next_fits_80_columns_with_one_line_per_candidate()
    {
        var (code, output, _) = CliRunner.Run("next", "What is the capital of Japan? The capital of Japan is", "--top-p", "0.5", "--temperature", "1", "--steps", "3");

        Assert.Equal(0, code);
        var tableLines = output.Split('\n').Where(line => line.StartsWith('│') || line.StartsWith('╭') || line.StartsWith('╰') || line.StartsWith('├')).ToList();
        Assert.All(tableLines, line => Assert.True(line.TrimEnd().Length <= 80, $"{line.TrimEnd().Length} columns: {line}"));
        // 3 steps × (header + 10 candidates): no row wrapped onto a second line.
        Assert.Equal(3 * 11, tableLines.Count(line => line.StartsWith('│')));
    }

    [Fact]
    public void Next_stops_at_the_end_of_text_token_and_says_so()
    {
        var (code, output, _) = CliRunner.Run("next", "What is the capital of Japan? The capital of Japan is", "--steps", "20", "--top", "3");

        Assert.Equal(0, code);
        Assert.Contains("</s> is the end-of-text token: the model says the text is finished.", output);
        Assert.Matches(@"\(stopped after \d+ of 20 steps: the model chose </s>, its end-of-text token\)", output);
        Assert.DoesNotContain("Below is an instruction", output);
    }

    [Fact]
    public void Generate_json_returns_only_the_answer_and_why_it_stopped()
    {
        var (code, output, _) = CliRunner.Run("generate", "List the days of the week.", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        Assert.Contains("Monday", json.RootElement.GetProperty("text").GetString());
        Assert.Equal("end_of_sequence", json.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("mpt-instruct", json.RootElement.GetProperty("template").GetString());
        Assert.Equal("greedy", json.RootElement.GetProperty("sampling").GetProperty("mode").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("max_new_tokens").GetInt32());
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
        var (seed, fixedPlan) = Walkthrough.Cli.Commands.WalkCommand.SeedPlans();
        Assert.Contains($"on a 16 GB V100: {seed.Verdict}", output);
        Assert.Contains($"The same model in float16: {fixedPlan.Verdict}", output);
        Assert.Contains("needs 15.06 GiB of the V100-16GB's 16.00 GiB: it fits", output);
        Assert.Contains("\n4,096 tokens is the planner's default context", output);
    }

    [Fact]
    public void Inspect_prints_the_module_tree()
    {
        var (code, output, _) = CliRunner.Run("inspect");

        Assert.Equal(0, code);
        Assert.Matches(@"0…\d+ \(\d+ × MistralDecoderLayer\)", output);
        Assert.Contains("embed_tokens (Embedding)", output);
    }

    [Fact]
    public void Inspect_json_lists_every_module_unfolded()
    {
        var (code, output, _) = CliRunner.Run("inspect", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        Assert.Equal("mistral", json.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(8_505_792, json.RootElement.GetProperty("parameters").GetInt64());
        var root = json.RootElement.GetProperty("root");
        Assert.Equal("MistralForCausalLM", root.GetProperty("type").GetString());
        var model = root.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "model");
        var layers = model.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "layers");
        Assert.Equal(6, layers.GetProperty("children").GetArrayLength());
        var embed = model.GetProperty("children")[0].GetProperty("parameters")[0];
        Assert.Equal([32000, 192], embed.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("float32", embed.GetProperty("dtype").GetString());
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
