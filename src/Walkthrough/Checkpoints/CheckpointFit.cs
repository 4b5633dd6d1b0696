using System.Text.RegularExpressions;
using TorchSharp;
using Walkthrough.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// Whether a checkpoint holds the network config.json describes, from the headers alone and before a byte of memory
/// is allocated: the network is built on PyTorch's "meta" device (shapes without storage), and each of its parameters
/// must be in the checkpoint with the same shape, stored as floating-point numbers. A checkpoint with more layers than
/// config.json says is refused too: loading would ignore the extra ones without a word.
/// </summary>
internal static partial class CheckpointFit
{
    private static readonly HashSet<string> FloatDtypes = ["F32", "F16", "BF16", "F64"];

    /// <summary>Each parameter's name in the checkpoint (GPT-2's original files leave out "transformer.").</summary>
    public static IReadOnlyDictionary<string, string> Require(ModelConfig config, Checkpoint checkpoint, bool int8)
    {
        using var meta = CausalLanguageModel.Create(config, ScalarType.Float32, new Device(DeviceType.META), int8);
        var names = new Dictionary<string, string>();
        foreach (var (parameterName, parameter) in meta.named_parameters())
        {
            if (int8 && parameterName.EndsWith("." + Int8Linear.ScaleName, StringComparison.Ordinal)) continue;  // made from the weight
            var key = CheckpointName(checkpoint, parameterName, config);
            var tensor = checkpoint[key];
            if (!tensor.Shape.SequenceEqual(parameter.shape))
                throw new WalkthroughException(
                    $"{tensor.File}: tensor '{tensor.Name}' is {tensor.ShapeText} but the model expects {CheckpointTensor.FormatShape(parameter.shape)}, " +
                    $"from config.json ({Describe(config)}): the checkpoint belongs to a different model size — check that config.json comes from the same download as the weights.");
            if (!FloatDtypes.Contains(tensor.Dtype))
                throw new WalkthroughException(
                    $"{tensor.File}: tensor '{tensor.Name}' is stored as {tensor.Dtype}, but a model's weights are floating-point numbers (F32, F16 or BF16): " +
                    "the file is damaged or is not this model's checkpoint — download it again.");
            names[parameterName] = key;
        }
        RequireNoExtraLayers(config, checkpoint);
        return names;
    }

    /// <summary>The config's sizes and switches under its own key names, for messages that must say which to check.</summary>
    public static string Describe(ModelConfig config)
    {
        var sizes = ModelConfigReader.Sizes(config).Select(s => $"{s.Key} {s.Value:N0}");
        var switches = config.Architecture switch
        {
            Architecture.Mpt => [$"no_bias {(!config.LinearBias).ToString().ToLowerInvariant()}"],
            Architecture.Gpt2 => Array.Empty<string>(),
            _ => [$"tie_word_embeddings {config.TiedEmbeddings.ToString().ToLowerInvariant()}", $"attention_bias {config.AttentionBias.ToString().ToLowerInvariant()}"],
        };
        return string.Join(", ", sizes.Concat(switches));
    }

    private static string CheckpointName(Checkpoint checkpoint, string parameterName, ModelConfig config)
    {
        if (checkpoint.Contains(parameterName)) return parameterName;
        const string prefix = "transformer.";
        if (parameterName.StartsWith(prefix, StringComparison.Ordinal) && checkpoint.Contains(parameterName[prefix.Length..]))
            return parameterName[prefix.Length..];
        throw new WalkthroughException(
            $"{checkpoint.Path}: the tensor \"{parameterName}\" is missing from the checkpoint ({string.Join(", ", checkpoint.Files.Select(Path.GetFileName))}), " +
            $"though config.json ({Describe(config)}) makes the model need it: the weights may belong to another model or be incomplete — " +
            "check that config.json comes from the same download, or download the model again.");
    }

    // "model.layers.7.mlp..." (Llama), "transformer.blocks.7..." (MPT), "transformer.h.7..." or "h.7..." (GPT-2).
    [GeneratedRegex(@"(?:^|\.)(?:layers|blocks|h)\.(\d+)\.")]
    private static partial Regex LayerIndex();

    private static void RequireNoExtraLayers(ModelConfig config, Checkpoint checkpoint)
    {
        foreach (var tensor in checkpoint.Tensors)
        {
            if (LayerIndex().Match(tensor.Name) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, out var layer) || layer < config.Layers) continue;
            var key = ModelConfigReader.Sizes(config).First(s => s.Key.Contains("layer", StringComparison.Ordinal)).Key;
            throw new WalkthroughException(
                $"{tensor.File} holds layer {layer} ('{tensor.Name}'), but config.json's {key} is {config.Layers}, so layers {config.Layers} and up would be " +
                "left out without a word: check that config.json comes from the same download as the weights.");
        }
    }
}
