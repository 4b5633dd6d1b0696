using System.Text.Json;

namespace Walkthrough.Tests.Cli;

public sealed class HardwareCommandsTests
{
    [Fact]
    public void Plan_json_holds_parameters_and_per_dtype_bytes_and_verdicts()
    {
        var (code, output, _) = CliRunner.Run("plan", RepoPaths.Data("configs", "mistral-7b"), "--gpu", "V100-16GB", "--context", "4096", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(7_241_732_096, json.RootElement.GetProperty("parameters").GetInt64());
        var fp32 = json.RootElement.GetProperty("dtypes").GetProperty("float32");
        Assert.Equal(7_241_732_096L * 4, fp32.GetProperty("weight_bytes").GetInt64());
        Assert.False(fp32.GetProperty("fits").GetBoolean());
        Assert.True(json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("fits").GetBoolean());
        // KV cache at 4,096 tokens in 16 bits: 2 × 32 layers × 8 heads × 128 × 2 bytes × 4,096.
        Assert.Equal(2L * 32 * 8 * 128 * 2 * 4096, json.RootElement.GetProperty("dtypes").GetProperty("float16").GetProperty("kv_cache_bytes").GetInt64());
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
        var available = json.RootElement.GetProperty("available").GetBoolean();
        Assert.Equal(available, json.RootElement.GetProperty("gpus").GetArrayLength() > 0);
        if (!available) Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("reason").GetString()));
        Assert.True(json.RootElement.GetProperty("machine").GetProperty("RamTotalBytes").GetInt64() > 0);
    }
}
