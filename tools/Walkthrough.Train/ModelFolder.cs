using System.Text.Json;
using System.Text.Json.Nodes;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Train;

/// <summary>Writes a trained model as a Hugging Face folder: config.json, model.safetensors, tokenizer, generation config.</summary>
internal static class ModelFolder
{
    public static void Write(string folder, CausalLanguageModel model, string tokenizerFolder, IReadOnlyList<LossPoint> history, object trainingFacts)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), TinyModelRecipe.ConfigJson.Trim() + "\n");
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), """
            {
              "bos_token_id": 1,
              "eos_token_id": 2,
              "max_new_tokens": 200,
              "do_sample": false
            }

            """.Replace("            ", ""));
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(tokenizerFolder, name), Path.Combine(folder, name), overwrite: true);

        // Stored in bfloat16 to keep the folder small; the kit upcasts exactly to float32 on load.
        using (var scope = NewDisposeScope())
        {
            var tensors = model.named_parameters()
                .Select(p => (p.name, p.parameter.detach().to(bfloat16).contiguous()))
                .ToList();
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors,
                new Dictionary<string, string> { ["format"] = "pt" });
        }

        File.WriteAllText(Path.Combine(folder, "loss.svg"), LossChart.Svg(history));
        var log = new JsonObject
        {
            ["facts"] = JsonSerializer.SerializeToNode(trainingFacts),
            ["loss"] = new JsonArray(history.Select(p => (JsonNode)new JsonArray(p.Step, Math.Round(p.Loss, 4))).ToArray()),
        };
        File.WriteAllText(Path.Combine(folder, "training-log.json"), log.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
    }
}
