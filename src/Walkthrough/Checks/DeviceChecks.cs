using System.Runtime.InteropServices;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Checks;

/// <summary>
/// What must hold on a device before its figures can be trusted — the checks a GPU machine runs without .NET
/// installed (<c>walkthrough check --device cuda</c>), each against an independent reference: transformers' golden
/// logits, the placement rule, the bundled model's known answer and the CPU's tokens, float32's choices for the lower
/// precisions, and a clear error (not a crash) when a model cannot fit. <code>DeviceChecks.Run("cuda")</code>
/// </summary>
public static class DeviceChecks
{
    /// <summary>The bundled model's first answer, measured when it was trained (its model card: p ≈ 0.998).</summary>
    private const string DaysPrompt = "Monday, Tuesday, Wednesday,";
    private const string ExpectedNext = "▁Thursday";
    private const int GreedyTokens = 16;

    /// <summary>Lower precision must keep float32's top choice at this share of positions (bfloat16 measured 0.97+ on the CPU).</summary>
    private const double MinimumAgreement = 0.95;

    private const string Text = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n" +
        "### Instruction\nCan you write an email explaining what an LLM is?\n### Response\nDear Sam,\n\nAn LLM, or large language model, " +
        "is a computer program that predicts the next token of a text. Monday, Tuesday, Wednesday, Thursday, Friday. The capital of France is Paris.";

    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    /// <param name="golden">The folder of golden logits (one folder per architecture); null: tests/data/golden beside the kit's data.</param>
    public static IReadOnlyList<DeviceCheck> Run(string device = "cpu", string? golden = null)
    {
        TorchRuntime.Ensure();
        golden ??= Path.Combine(KitData.Root, "..", "tests", "data", "golden");
        var checks = new List<DeviceCheck>();
        checks.AddRange(Golden(device, golden));
        checks.Add(Guard("placement", () => Placement(device)));
        checks.Add(Guard("greedy generation", () => Generation(device)));
        checks.Add(Guard("precision bfloat16", () => Precision(device, "bfloat16")));
        checks.Add(Guard("precision float16", () => Precision(device, "float16")));
        checks.Add(Guard("out of memory", () => OutOfMemory(device)));
        return checks;
    }

    private static IEnumerable<DeviceCheck> Golden(string device, string golden)
    {
        var architectures = GoldenLogits.Available(golden);
        if (architectures.Count == 0)
        {
            yield return new("golden logits", CheckOutcome.Skipped, $"none in {Path.GetFullPath(golden)}: run tests/data/golden/make_golden.py where transformers is installed");
            yield break;
        }
        foreach (var architecture in architectures)
        {
            var folder = Path.Combine(golden, architecture);
            foreach (var (dtype, tolerance) in new[] { ("float32", GoldenLogits.Float32Tolerance), ("bfloat16", GoldenLogits.BFloat16Tolerance) })
            {
                if (!GoldenLogits.Has(folder, dtype)) continue;
                yield return Guard($"golden {architecture} {dtype}", () =>
                {
                    var (full, cached) = GoldenLogits.Compare(folder, device, dtype);
                    var worst = Math.Max(full, cached);
                    return (worst <= tolerance, $"max |kit − transformers| {full:0.0e0} all positions, {cached:0.0e0} cached steps (≤ {tolerance:0.0e0})");
                });
            }
        }
    }

    private static (bool, string) Placement(string device)
    {
        using var model = LanguageModel.Default(new LoadOptions { Device = device });
        var onDevice = model.Module.parameters().All(p => p.device.type == model.Device.type && p.device.index == model.Device.index);
        var capability = model.Device.type == TorchSharp.DeviceType.CUDA ? CudaDriver.ComputeCapability(Math.Max(0, model.Device.index)) : null;
        var expected = model.Device.type == TorchSharp.DeviceType.CPU ? ScalarType.Float32
            : (capability?.Major ?? 0) >= 8 ? ScalarType.BFloat16 : ScalarType.Float16;
        var cc = capability is { } c ? $", compute capability {c.Major}.{c.Minor}" : "";
        return (onDevice && model.Dtype == expected && model.Module.parameters().All(p => p.dtype == expected),
            $"{model.ParameterCount:N0} parameters on {model.Device} in {model.Dtype} (rule: {expected}{cc}){(onDevice ? "" : "; some parameters are elsewhere")}");
    }

    private static (bool, string) Generation(string device)
    {
        var (first, probability, ids) = Greedy(device);
        var reference = device == "cpu" ? ids : Greedy("cpu").Ids;
        var same = ids.SequenceEqual(reference);
        return (first == ExpectedNext && same,
            $"first token {first} (p {probability:0.000}, expected {ExpectedNext}); {GreedyTokens} greedy tokens {(same ? "equal" : "differ from")} the CPU's");
    }

    private static (string First, double Probability, IReadOnlyList<int> Ids) Greedy(string device)
    {
        using var model = LanguageModel.Default(new LoadOptions { Device = device, Dtype = "float32" });
        using var session = model.Start(DaysPrompt);
        var steps = Enumerable.Range(0, GreedyTokens).Select(_ => session.Next()).ToList();
        return (steps[0].Chosen.Text, steps[0].Chosen.Probability, steps.Select(s => s.Chosen.Id).ToList());
    }

    private static (bool, string) Precision(string device, string dtype)
    {
        using var reference = LanguageModel.Default(new LoadOptions { Device = device, Dtype = "float32" });
        using var reduced = LanguageModel.Default(new LoadOptions { Device = device, Dtype = dtype });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = tensor(reference.Tokenizer.Encode(Text).Select(i => (long)i).ToArray(), int64, reference.Device).unsqueeze(0);
        var expected = reference.Module.forward(ids, null).argmax(-1);
        var actual = reduced.Module.forward(ids, null).to(float32).argmax(-1);
        var agreement = expected.eq(actual).to(float32).mean().item<float>();
        return (agreement >= MinimumAgreement, $"top-1 agreement with float32 {agreement:0.000} over {ids.shape[1]} positions (≥ {MinimumAgreement})");
    }

    /// <summary>A model far bigger than the GPU must end in the kit's own error, and leave the GPU usable.</summary>
    private static (bool, string)? OutOfMemory(string device)
    {
        if (!device.StartsWith("cuda", StringComparison.Ordinal))
            return null;
        var folder = Directory.CreateTempSubdirectory("walkthrough-oom-").FullName;
        try
        {
            // A Llama of about 740 billion parameters (1.5 TB in bfloat16): no GPU holds it.
            File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["architectures"] = new[] { "LlamaForCausalLM" }, ["model_type"] = "llama", ["hidden_size"] = 16384,
                ["intermediate_size"] = 53248, ["num_hidden_layers"] = 200, ["num_attention_heads"] = 128, ["num_key_value_heads"] = 8,
                ["vocab_size"] = 32000, ["max_position_embeddings"] = 4096, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0,
            }));
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), [("lm_head.weight", zeros(1))]);
            foreach (var file in Directory.GetFiles(KitData.DefaultTokenizer))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            string message;
            try
            {
                using var model = LanguageModel.Load(folder, new LoadOptions { Device = device, Dtype = "bfloat16" });
                return (false, "a 1.5 TB model loaded: the GPU cannot be that big, so memory is not being checked");
            }
            catch (WalkthroughException e) when (e.Message.Contains("ran out of memory", StringComparison.Ordinal))
            {
                message = e.Message;
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var after = empty([1L << 28], float32, new Device(device)); // 1 GiB: the failed load left the GPU usable
            return (true, $"one clear error (\"{message[..Math.Min(message.Length, 80)]}…\"), then a 1 GiB allocation works");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static DeviceCheck Guard(string name, Func<(bool Passed, string Figure)?> check)
    {
        try
        {
            return check() is { } result
                ? new(name, result.Passed ? CheckOutcome.Passed : CheckOutcome.Failed, result.Figure)
                : new(name, CheckOutcome.Skipped, "needs a GPU: on the CPU an oversized model would take the machine's memory instead");
        }
        catch (Exception e) when (e is WalkthroughException or ExternalException or InvalidOperationException or ArgumentException)
        {
            return new(name, CheckOutcome.Failed, e.Message.Split('\n')[0]);
        }
    }
}
