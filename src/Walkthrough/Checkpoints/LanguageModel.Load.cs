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
        if (string.IsNullOrWhiteSpace(folder))
            throw new WalkthroughException(
                $"No model folder given{(folder is null ? "" : $" (\"{folder}\")")}: give a folder with config.json, model.safetensors and tokenizer.json, " +
                "a Hugging Face model id such as mistralai/Mistral-7B-v0.1, or leave the model out for the bundled one.");
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
        if (tokenizer.VocabularySize > config.VocabularySize)
            throw new WalkthroughException(
                $"{local}: {Path.GetFileName(tokenizer.Source)} has {tokenizer.VocabularySize:N0} tokens but config.json's vocab_size is {config.VocabularySize:N0}, " +
                $"so ids {config.VocabularySize:N0} and up have no row in the embedding: the tokenizer and the model come from different downloads — download them together.");
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
        var name = new DirectoryInfo(folder).Name;
        // Both before any allocation: the checkpoint must be this config's network, and the network must fit.
        var names = CheckpointFit.Require(config, checkpoint, options.Int8);
        MemoryCheck.Require(name, config, dtype, device, options.Int8);
        var module = Allocate(name, config, dtype, device, options.Int8);
        try
        {
            Fill(module, checkpoint, names, options.Int8, progress);
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
        catch (Exception e) when (e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new WalkthroughException(
                $"{device} ran out of memory making room for {name} in {dtype}{(int8 ? " with int8 weights" : "")}: " +
                "choose a smaller dtype (bfloat16/float16), int8 weights, or a bigger GPU — `walkthrough plan` shows what fits.", e);
        }
    }

    private static void Fill(CausalLanguageModel module, Checkpoint checkpoint, IReadOnlyDictionary<string, string> names, bool int8, IProgress<LoadProgress>? progress)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // int8 weights are made from the checkpoint's full-precision weight; their scales come with them.
        var toRead = parameters.Where(p => names.ContainsKey(p.Key)).ToList();
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
                RequireFinite(checkpoint, key, full);
                Int8Linear.Quantize(full, parameter, parameters[scalePrefix + Int8Linear.ScaleName]);
            }
            else
            {
                using var value = checkpoint.ReadTensor(key, parameter.dtype, parameter.device, parameter.shape);
                parameter.copy_(value);
                RequireFinite(checkpoint, key, parameter);
            }
            done += checkpoint[key].Bytes;
            progress?.Report(new LoadProgress(key, i + 1, toRead.Count, done, total));
        }
    }

    // One pass over each tensor as loaded. A NaN or ∞ in a weight would reach every prediction as NaN probabilities;
    // the stored values tell a damaged file from a dtype too narrow for them.
    private static void RequireFinite(Checkpoint checkpoint, string key, Tensor loaded)
    {
        using var scope = NewDisposeScope();
        if (isfinite(loaded).all().item<bool>()) return;
        var tensor = checkpoint[key];
        using var stored = checkpoint.ReadTensor(key, ScalarType.Float64, CPU);
        var nan = isnan(stored).sum().item<long>();
        var infinite = isinf(stored).sum().item<long>();
        if (nan + infinite == 0)
            throw new WalkthroughException(
                $"{tensor.File}: tensor '{key}' holds values beyond {loaded.dtype}'s range (up to {stored.abs().max().item<double>():G4}): " +
                "load the model in bfloat16 or float32 (--dtype) instead.");
        var first = nonzero(logical_not(isfinite(stored.flatten())))[0].item<long>();
        throw new WalkthroughException(
            $"{tensor.File}: tensor '{key}' holds {nan:N0} NaN and {infinite:N0} infinite values among its {tensor.Elements:N0} (the first at element {first:N0}): " +
            "the weights are damaged and every prediction would be NaN — download the model again.");
    }
}
