using Walkthrough.Architectures;
using Walkthrough.Hub;
using Walkthrough.Native;
using Walkthrough.Tokens;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

public sealed partial class LanguageModel
{
    /// <summary>
    /// Loads a Hugging Face model folder — config.json, model.safetensors (or shards with an index), the tokenizer —
    /// reading tensor by tensor straight into the chosen dtype on the chosen device. A hub id instead of a folder
    /// ("mistralai/Mistral-7B-v0.1", "org/name@revision") is downloaded into the Hugging Face cache first, unless it is
    /// there already; a <paramref name="progress"/> that also takes <see cref="HubProgress"/> (LoadProgressText does)
    /// is told about the downloads too.
    /// </summary>
    public static LanguageModel Load(string folder, LoadOptions? options = null, IProgress<LoadProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= LoadOptions.Auto;
        var snapshot = HubSnapshot.IfHubId(folder, HubFiles.Model, options.Hub, progress as IProgress<HubProgress>);
        var local = snapshot?.Folder ?? folder;
        if (!Directory.Exists(local))
            throw new WalkthroughException(
                $"Model folder \"{folder}\" not found: give a folder with config.json, model.safetensors and tokenizer.json, " +
                "or a Hugging Face model id such as mistralai/Mistral-7B-v0.1.");
        var name = snapshot?.Repo.Name ?? new DirectoryInfo(local).Name;
        var config = ModelConfig.Read(local);
        var tokenizer = Tokenizer.FromFiles(local, name);
        var (module, device, dtype) = LoadModule(local, config, options, progress);
        return new LanguageModel(name, config, module, tokenizer, device, dtype, options.Int8);
    }

    /// <summary>The network alone, built for the config and filled from the folder's safetensors.</summary>
    internal static (CausalLanguageModel Module, Device Device, ScalarType Dtype) LoadModule(
        string folder, ModelConfig config, LoadOptions options, IProgress<LoadProgress>? progress = null)
    {
        if (options.LibTorch is { } libTorch)
            TorchRuntime.UseLibTorch(libTorch);
        TorchRuntime.Ensure();
        var (device, dtype) = Placement.Choose(options);
        if (device.type == TorchSharp.DeviceType.CPU) Hardware.CpuThreads.Choose().Apply();
        using var checkpoint = Checkpoint.Open(folder);
        var module = Allocate(new DirectoryInfo(folder).Name, config, dtype, device, options.Int8);
        try
        {
            Fill(module, checkpoint, options.Int8, progress);
            module.eval();
            return (module, device, dtype);
        }
        catch
        {
            module.Dispose(); // nothing half-loaded stays on the GPU
            throw;
        }
    }

    /// <summary>The kit's bundled model (data/models/walkthrough-tiny), on the CPU in float32 unless told otherwise.</summary>
    public static LanguageModel Default(LoadOptions? options = null, IProgress<LoadProgress>? progress = null) =>
        Load(KitData.DefaultModel, options ?? new LoadOptions { Device = "cpu" }, progress);

    private static CausalLanguageModel Allocate(string name, ModelConfig config, ScalarType dtype, Device device, bool int8)
    {
        try
        {
            return CausalLanguageModel.Create(config, dtype, device, int8);
        }
        catch (Exception e) when (e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new WalkthroughException(
                $"{device} ran out of memory making room for {name} in {dtype}{(int8 ? " with int8 weights" : "")}: " +
                "choose a smaller dtype (bfloat16/float16), int8 weights, or a bigger GPU — `walkthrough plan` shows what fits.", e);
        }
    }

    private static void Fill(CausalLanguageModel module, Checkpoint checkpoint, bool int8, IProgress<LoadProgress>? progress)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // int8 weights are made from the checkpoint's full-precision weight; their scales come with them.
        var toRead = parameters.Where(p => !(int8 && p.Key.EndsWith("." + Int8Linear.ScaleName, StringComparison.Ordinal))).ToList();
        var names = toRead.ToDictionary(p => p.Key, p => CheckpointName(checkpoint, p.Key));
        var total = toRead.Sum(p => checkpoint[names[p.Key]].Bytes);
        var done = 0L;
        using var noGrad = no_grad();
        for (var i = 0; i < toRead.Count; i++)
        {
            var (parameterName, parameter) = toRead[i];
            var key = names[parameterName];
            if (parameter.dtype == ScalarType.Int8)
            {
                var scalePrefix = parameterName[..^"weight".Length];
                using var full = checkpoint.ReadTensor(key, ScalarType.Float32, parameter.device, parameter.shape);
                Int8Linear.Quantize(full, parameter, parameters[scalePrefix + Int8Linear.ScaleName]);
            }
            else
            {
                using var value = checkpoint.ReadTensor(key, parameter.dtype, parameter.device, parameter.shape);
                parameter.copy_(value);
            }
            done += checkpoint[key].Bytes;
            progress?.Report(new LoadProgress(key, i + 1, toRead.Count, done, total));
        }
    }

    // The name a parameter has in the checkpoint; GPT-2's original files leave out the "transformer." prefix.
    private static string CheckpointName(Checkpoint checkpoint, string parameterName)
    {
        if (checkpoint.Contains(parameterName)) return parameterName;
        const string prefix = "transformer.";
        if (parameterName.StartsWith(prefix, StringComparison.Ordinal) && checkpoint.Contains(parameterName[prefix.Length..]))
            return parameterName[prefix.Length..];
        throw new WalkthroughException(
            $"{checkpoint.Path}: the tensor \"{parameterName}\" is missing from the checkpoint ({string.Join(", ", checkpoint.Files.Select(Path.GetFileName))}). " +
            "The weights may belong to another model or be incomplete: download the model again.");
    }
}
