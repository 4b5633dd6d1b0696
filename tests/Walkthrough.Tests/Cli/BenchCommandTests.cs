using System.Text.Json;

namespace Walkthrough.Tests.Cli;

/// <summary>The interface scripts rely on (tools/gpu-proof/run.sh): `bench --json` prints one object with these keys.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Bench_json_prints_one_object_with_the_lengths_asked_for_load_time_speeds_and_the_plan()
    {
        var (code, output, _) = CliRunner.Run("bench", "--prompt-tokens", "8", "--new-tokens", "4", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var bench = json.RootElement;
        Assert.Equal("walkthrough-tiny", bench.GetProperty("model").GetString());
        Assert.Equal("cpu", bench.GetProperty("device").GetString());
        Assert.Equal("float32", bench.GetProperty("dtype").GetString());
        Assert.Equal(8, bench.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, bench.GetProperty("new_tokens").GetInt32());
        foreach (var key in new[] { "load_seconds", "prefill_seconds", "prefill_tokens_per_second", "decode_tokens_per_second", "decode_ms_per_token", "uncached_decode_tokens_per_second" })
            Assert.True(bench.GetProperty(key).GetDouble() > 0, key);
        var weights = bench.GetProperty("weight_bytes").GetInt64();
        Assert.Equal(4L * bench.GetProperty("parameters").GetInt64(), weights); // float32: four bytes each
        Assert.True(bench.GetProperty("planned_bytes").GetInt64() > weights);
        Assert.Equal(JsonValueKind.Null, bench.GetProperty("peak_gpu_bytes").ValueKind); // no GPU here
    }

    [Theory]
    [InlineData("--prompt-tokens", "0")]
    [InlineData("--new-tokens", "-1")]
    public void Lengths_below_one_end_with_one_line_and_exit_2(string option, string value)
    {
        var (code, output, error) = CliRunner.Run("bench", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("at least 1", error);
    }

    [Fact]
    public void Check_on_the_cpu_passes_placement_generation_and_both_lower_precisions()
    {
        var (code, output, _) = CliRunner.Run("check", "--device", "cpu", "--json");

        Assert.Equal(0, code);
        var checks = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        string Outcome(string name) => checks.Single(c => c.GetProperty("name").GetString() == name).GetProperty("outcome").GetString()!;
        Assert.Equal("passed", Outcome("placement"));
        Assert.Equal("passed", Outcome("greedy generation"));
        Assert.Equal("passed", Outcome("precision bfloat16"));
        Assert.Equal("passed", Outcome("precision float16"));
        Assert.Equal("skipped", Outcome("out of memory"));
    }
}
