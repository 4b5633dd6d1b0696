using System.Text.Json;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Checks;

/// <summary>
/// A tiny model made by Hugging Face transformers with the logits transformers computed for it (tests/data/golden,
/// made by make_golden.py): the kit loads the same checkpoint and must give the same logits, all positions at once
/// and step by step through its KV cache.
/// </summary>
internal static class GoldenLogits
{
    /// <summary>float32 must agree to this (max absolute difference).</summary>
    public const float Float32Tolerance = 1e-4f;

    /// <summary>
    /// bfloat16 keeps 8 bits of mantissa (about 2.4 decimal digits): on these models' logits (|logit| below 2) two
    /// layers of rounding stay well inside 0.1 of transformers' own bfloat16 logits.
    /// </summary>
    public const float BFloat16Tolerance = 0.1f;

    /// <summary>The architectures with a golden.json under <paramref name="golden"/>.</summary>
    public static IReadOnlyList<string> Available(string golden) =>
        Directory.Exists(golden)
            ? Directory.GetDirectories(golden).Where(d => File.Exists(Path.Combine(d, "golden.json"))).Select(Path.GetFileName).OfType<string>().Order().ToList()
            : [];

    /// <summary>Max |kit − transformers| over all positions and over the cached steps.</summary>
    public static (float Full, float Cached) Compare(string folder, string device, string dtype)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        var root = golden.RootElement;
        var ids = root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var (fullKey, cachedKey) = dtype == "float32" ? ("logits", "cached_logits") : ($"{dtype}_logits", $"{dtype}_cached_logits");
        var config = ModelConfig.Read(folder);
        var (module, loadedOn, _) = LanguageModel.LoadModule(folder, config, new LoadOptions { Device = device, Dtype = dtype });
        using (module)
        using (NewDisposeScope())
        using (no_grad())
        {
            var expected = Matrix(root.GetProperty(fullKey));
            var expectedCached = Matrix(root.GetProperty(cachedKey));
            var input = tensor(ids, int64, loadedOn).unsqueeze(0);
            var full = module.forward(input, null)[0].to(float32).cpu();
            using var cache = new KvCache(config.Layers);
            var stepwise = cat(ids.Select((_, t) => module.forward(input[.., t..(t + 1)], cache)[0]).ToList(), dim: 0).to(float32).cpu();
            return ((full - expected).abs().max().item<float>(), (stepwise - expectedCached).abs().max().item<float>());
        }
    }

    /// <summary>Whether golden.json carries logits transformers computed in <paramref name="dtype"/>.</summary>
    public static bool Has(string folder, string dtype)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        return dtype == "float32" || golden.RootElement.TryGetProperty($"{dtype}_logits", out _);
    }

    private static Tensor Matrix(JsonElement rows)
    {
        var values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        return tensor(values.SelectMany(r => r).ToArray()).view(values.Length, -1);
    }
}
