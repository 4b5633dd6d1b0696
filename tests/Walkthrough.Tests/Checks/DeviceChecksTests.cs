using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Checks;
using Walkthrough.Tests.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checks;

/// <summary>
/// The golden-logits check of `walkthrough check` (what the GPU machine runs), on a folder laid out as make_golden.py
/// writes it. The logits here are the model's own, so this tests the check's reading and comparing — the agreement
/// with transformers itself is GoldenLogitsTests' job once the golden files are committed.
/// </summary>
public sealed class DeviceChecksTests
{
    private static readonly long[] Ids = [1, 17, 42, 3, 7, 7, 30];

    [Fact]
    public void Golden_logits_equal_to_the_folders_pass_and_logits_off_by_1e_3_fail_naming_the_difference()
    {
        var golden = Directory.CreateTempSubdirectory("walkthrough-golden-").FullName;
        Write(Path.Combine(golden, "exact"), offset: 0);
        Write(Path.Combine(golden, "off"), offset: 1e-3f);

        var checks = DeviceChecks.Run("cpu", golden);

        var exact = checks.Single(c => c.Name == "golden exact float32");
        var off = checks.Single(c => c.Name == "golden off float32");
        Assert.Equal(CheckOutcome.Passed, exact.Outcome);
        Assert.Equal(CheckOutcome.Failed, off.Outcome);
        Assert.Contains("1.0e-3 all positions", off.Figure);
        Assert.Contains(checks, c => c.Name == "golden exact bfloat16" && c.Outcome == CheckOutcome.Passed);
    }

    [Fact]
    public void Without_golden_files_the_check_is_skipped_and_says_how_to_make_them()
    {
        var checks = DeviceChecks.Run("cpu", Directory.CreateTempSubdirectory("walkthrough-golden-").FullName);

        var golden = checks.Single(c => c.Name == "golden logits");
        Assert.Equal(CheckOutcome.Skipped, golden.Outcome);
        Assert.Contains("make_golden.py", golden.Figure);
    }

    /// <summary>A tiny Mistral folder (config.json, model.safetensors) with golden.json holding its logits plus <paramref name="offset"/>.</summary>
    private static void Write(string folder, float offset)
    {
        Directory.CreateDirectory(folder);
        var json = """
            {"model_type": "mistral", "vocab_size": 50, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
             "rope_theta": 10000.0, "sliding_window": 4, "tie_word_embeddings": false}
            """;
        File.WriteAllText(Path.Combine(folder, "config.json"), json);
        using var module = TinyModels.Build(ModelConfig.Parse(json));
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = module.forward(TinyModels.Ids(Ids), null)[0] + offset;
        var rows = Enumerable.Range(0, Ids.Length).Select(t => logits[t].data<float>().ToArray()).ToArray();
        File.WriteAllText(Path.Combine(folder, "golden.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ids"] = Ids, ["logits"] = rows, ["cached_logits"] = rows, ["bfloat16_logits"] = rows, ["bfloat16_cached_logits"] = rows, // float32's: bfloat16 is checked to 0.1
        }));
    }
}
