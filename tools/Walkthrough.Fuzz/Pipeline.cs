using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using Walkthrough.Tokens;

namespace Walkthrough.Fuzz;

/// <summary>
/// Calls the library as the CLI's commands do, in their order: <c>plan</c> (config.json alone), <c>tokens</c> (the
/// tokenizer alone), then <c>inspect</c> and <c>next</c> (the whole model on the CPU, two steps, the second from the
/// KV cache). The first refusal ends it, as it ends a command.
/// </summary>
internal static class Pipeline
{
    public const string Prompt = "Monday, Tuesday, Wednesday,";

    /// <summary>Texts every tokenizer is asked to encode and decode: plain words, special tokens typed in, bytes it may lack.</summary>
    public static readonly string[] Probes =
    [
        Prompt, "Hello wörld 🤗 <s> x</s>", "  two  spaces\tand a tab\nand a newline", "日本語 ١٢٣ Ωμέγα", "a",
    ];

    public static Observation Run(string folder, Layout layout)
    {
        if (layout == Layout.SentencePiece) return Tokens(folder, null);
        var config = ModelConfig.Read(folder);
        var plans = MemoryPlan.AllDtypes(config, Gpu.Named("A100-80GB"), null, 1, "fuzz");
        _ = plans.ToString();
        // A byte count below zero is an overflow: a wrong plan shown as if it were right.
        var planSane = plans.All(p => p.Parameters.Total > 0 && p.WeightBytes > 0 && p.KvCacheBytes >= 0 && p.ActivationBytes >= 0 && p.TotalBytes > 0);
        var observation = Tokens(folder, plans[0].Parameters.Total) with { PlanSane = planSane };
        using var model = LanguageModel.Load(folder, new LoadOptions { Device = "cpu", Dtype = "float32" });
        var tree = model.Tree().ToString();
        using var session = model.Start(Prompt);
        var steps = new[] { session.Next(), session.Next() };
        var logits = steps.SelectMany(s => s.Logits).ToArray();
        var finite = logits.All(float.IsFinite) && steps.All(s => s.Probabilities.All(double.IsFinite) && double.IsFinite(s.Entropy));
        _ = steps.Select(s => s.ToString()).ToList();
        return observation with { Logits = logits, Chosen = steps.Select(s => s.Chosen.Id).ToArray(), Tree = tree, Finite = finite };
    }

    private static Observation Tokens(string folder, long? parameters)
    {
        var tokenizer = Tokenizer.Load(folder);
        var ids = new List<int[]>();
        var decoded = new List<string>();
        foreach (var probe in Probes)
        {
            var table = tokenizer.Tokenize(probe);
            _ = table.ToString();
            var encoded = table.Select(t => t.Id).ToArray();
            ids.Add(encoded);
            decoded.Add(tokenizer.Decode(encoded, skipSpecialTokens: true));
        }
        return new Observation(parameters, ids, decoded, [], [], null);
    }
}
