using System.Text.Json;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>A fact that needs golden logits made by Python transformers (tests/data/golden); skipped, and says how to make them, until they exist.</summary>
public sealed class GoldenFactAttribute : FactAttribute
{
    public GoldenFactAttribute(string architecture)
    {
        if (!File.Exists(RepoPaths.TestData("golden", architecture, "golden.json")))
            Skip = $"no golden logits for {architecture}: run tests/data/golden/make_golden.py where transformers is installed (see its README)";
    }
}

/// <summary>Our float32 logits equal Hugging Face transformers' on the same checkpoint, with and without the KV cache.</summary>
public sealed class GoldenLogitsTests
{
    [GoldenFact("llama")] public void Llama_matches_transformers() => Compare("llama");

    [GoldenFact("mistral")] public void Mistral_matches_transformers() => Compare("mistral");

    [GoldenFact("mpt")] public void Mpt_matches_transformers() => Compare("mpt");

    [GoldenFact("gpt2")] public void Gpt2_matches_transformers() => Compare("gpt2");

    private static void Compare(string architecture)
    {
        var folder = RepoPaths.TestData("golden", architecture);
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        var ids = golden.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var expected = Matrix(golden.RootElement.GetProperty("logits"));
        var expectedCached = Matrix(golden.RootElement.GetProperty("cached_logits"));

        var config = ModelConfig.Read(folder);
        var (module, _, _) = LanguageModel.LoadModule(folder, config, new LoadOptions { Device = "cpu", Dtype = "float32" });
        using (module)
        using (var scope = NewDisposeScope())
        {
            var input = tensor(ids, int64).unsqueeze(0);
            var full = module.forward(input, null)[0];
            using var cache = new KvCache(config.Layers);
            var stepwise = cat(ids.Select((_, t) => module.forward(input[.., t..(t + 1)], cache)[0]).ToList(), dim: 0);

            Assert.True((full - expected).abs().max().item<float>() < 1e-4, $"{architecture}: all positions differ from transformers");
            Assert.True((stepwise - expectedCached).abs().max().item<float>() < 1e-4, $"{architecture}: cached steps differ from transformers");
        }
    }

    private static Tensor Matrix(JsonElement rows)
    {
        var values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        return tensor(values.SelectMany(r => r).ToArray()).view(values.Length, -1);
    }
}
