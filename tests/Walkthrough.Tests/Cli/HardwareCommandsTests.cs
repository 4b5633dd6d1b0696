using System.Text.Json;
using Walkthrough.Hardware;

namespace Walkthrough.Tests.Cli;

public sealed class HardwareCommandsTests
{
    [Fact]
    public void Plan_json_holds_parameters_and_per_dtype_bytes_and_verdicts()
    {
        var (code, output, _) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"), "--gpu", "V100-16GB", "--context", "4096", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        Assert.Equal(7_241_732_096, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.False(json.RootElement.GetProperty("context_is_default").GetBoolean());
        Assert.Equal(32_768, json.RootElement.GetProperty("max_context").GetInt32());
        var gpu = json.RootElement.GetProperty("gpu");
        Assert.Equal("V100-16GB", gpu.GetProperty("name").GetString());
        Assert.Equal(16L << 30, gpu.GetProperty("available_bytes").GetInt64());
        var fp32 = json.RootElement.GetProperty("dtypes").GetProperty("float32");
        Assert.Equal(7_241_732_096L * 4, fp32.GetProperty("weight_bytes").GetInt64());
        Assert.False(fp32.GetProperty("fits").GetBoolean());
        Assert.Equal(-14_647_574_528L, fp32.GetProperty("headroom_bytes").GetInt64());
        // The smallest change is an object a tool can read, not a C# record's ToString.
        var change = fp32.GetProperty("smallest_change");
        Assert.Equal("sixteen_bit", change.GetProperty("change").GetString());
        Assert.Equal("float16", change.GetProperty("dtype").GetString());
        Assert.Equal(1_004_003_328L, change.GetProperty("headroom_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("smallest_change").ValueKind);
        Assert.True(json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("fits").GetBoolean());
        Assert.False(json.RootElement.GetProperty("dtypes").GetProperty("int4").GetProperty("kit_loads").GetBoolean());
        // KV cache at 4,096 tokens in 16 bits: 2 × 32 layers × 8 heads × 128 × 2 bytes × 4,096.
        Assert.Equal(2L * 32 * 8 * 128 * 2 * 4096, json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("kv_cache_bytes").GetInt64());
    }

    [Fact]
    public void Plan_without_a_context_uses_the_default_and_tells_the_seeds_story_as_the_walk_does()
    {
        var (code, output, _) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"), "--gpu", "V100-16GB", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(MemoryPlan.DefaultContext, json.RootElement.GetProperty("context").GetInt32());
        Assert.True(json.RootElement.GetProperty("context_is_default").GetBoolean());
        var (seed, fixedPlan) = Walkthrough.Cli.Commands.WalkCommand.SeedPlans();
        var dtypes = json.RootElement.GetProperty("dtypes");
        Assert.Equal(seed.Verdict.Replace("Mistral-7B", "mistral-7b"), dtypes.GetProperty("float32").GetProperty("verdict").GetString());
        Assert.Equal(fixedPlan.Verdict.Replace("Mistral-7B", "mistral-7b"), dtypes.GetProperty("float16").GetProperty("verdict").GetString());
        Assert.Contains("at 4,096 tokens", dtypes.GetProperty("float16").GetProperty("verdict").GetString());
        Assert.Contains(dtypes.GetProperty("float16").GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("4,096 tokens is the planner's default context", StringComparison.Ordinal));
    }

    [Fact]
    public void The_readme_tells_the_seeds_story_as_the_planner_does()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var (seed, fixedPlan) = Walkthrough.Cli.Commands.WalkCommand.SeedPlans();

        Assert.Contains(seed.Verdict, readme);
        Assert.Contains(fixedPlan.Verdict, readme);
        Assert.Contains(seed.ContextNote!, readme);
    }

    [Fact]
    public void Plan_reads_16GB_as_the_16_GiB_gpu_makers_mean_and_says_so()
    {
        var (code, output, _) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"), "--gpu", "16GB", "--dtype", "float16");

        Assert.Equal(0, code);
        Assert.Contains("on 16 GiB GPU (16.00 GiB available; you gave 16GB, read as 16 GiB (17,179,869,184 bytes)", output);
        Assert.Contains("it fits, with 957.5 MiB to spare", output);
    }

    [Fact]
    public void Plan_without_a_gpu_here_shows_every_dtypes_needs_and_says_there_is_nothing_to_compare_with()
    {
        if (GpuReport.Read(askTorch: false).Available) return; // a GPU here is compared with: the other tests cover that

        var (code, output, error) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith("No GPU here (", output);
        foreach (var dtype in Dtypes.All) Assert.Contains($"{dtype.Name(),-9}", output);
        Assert.Contains("29.64 GiB  no GPU to compare with", output);

        var (_, text, _) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"), "--json");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("gpu").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("no_gpu_reason").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("fits").ValueKind);
    }

    [Fact]
    public void Plan_with_an_unknown_gpu_names_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run("plan", RepoPaths.Data("configs", "gpt2"), "--gpu", "Voodoo2");
        Assert.Equal(2, code);
        Assert.Contains("V100-16GB", error);
    }

    [Fact]
    public void Gpu_json_says_whether_there_is_a_gpu_and_why_not()
    {
        var (code, output, _) = CliRunner.Run("gpu", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        var available = json.RootElement.GetProperty("available").GetBoolean();
        Assert.Equal(available, json.RootElement.GetProperty("gpus").GetArrayLength() > 0);
        if (!available) Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("reason").GetString()));
        Assert.True(json.RootElement.GetProperty("machine").GetProperty("ram_total_bytes").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("machine").GetProperty("managed_heap_bytes").GetInt64() > 0);
    }

    [Fact]
    public void Doctor_json_lists_each_check_with_what_was_found()
    {
        var (code, output, _) = CliRunner.Run("doctor", "--json");

        using var json = JsonDocument.Parse(output);
        JsonSchema.AssertClean(json.RootElement);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("check").GetString() == ".NET" && c.GetProperty("ok").GetBoolean());
        Assert.All(checks, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("found").GetString())));
        Assert.Equal(json.RootElement.GetProperty("all_ok").GetBoolean(), checks.All(c => c.GetProperty("ok").GetBoolean()));
        Assert.Equal(json.RootElement.GetProperty("all_ok").GetBoolean() ? 0 : 1, code);
    }
}
