using System.CommandLine;
using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using Walkthrough.Hub;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough plan MODEL_DIR|CONFIG_JSON|ORG/NAME [--dtype D] [--gpu NAME|SIZE] [--context N]</c>: will it fit — from
/// config.json alone, before any weight is read. Without --gpu it plans for the GPU present, or, on a machine without
/// one, shows what the model needs in every dtype and says there is nothing to compare with.
/// </summary>
public static class PlanCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model")
        {
            Description = "A model folder or its config.json (e.g. data/configs/mistral-7b), or a model id on the hub (org/name): only its config.json is downloaded.",
        };
        var dtype = new Option<string>("--dtype") { Description = "float32, bfloat16, float16, int8 or int4 (int4 for comparison: the kit loads int8 at most); default: all of them." };
        var gpu = new Option<string>("--gpu")
        {
            Description = "A GPU by name (V100-16GB, A100-80GB, H100 ...) or its memory (24GB — read as 24 GiB, as GPU makers count); default: the GPU present.",
        };
        var context = new Option<int?>("--context") { Description = $"Tokens of context (prompt and answer) to plan the KV cache for; default: {MemoryPlan.DefaultContext:N0}, or the model's maximum if shorter." };
        var batch = new Option<int>("--batch") { Description = "Sequences at once.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): the GPU, the context and, per dtype, the bytes of each part, whether it fits and the changes that would make it." };
        var command = new Command("plan", "Work out from config.json whether a model fits a GPU, in which dtype, and why.") { model, dtype, gpu, context, batch, json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var path = parse.GetValue(model)!;
            var config = ModelConfig.Read(path);
            var name = RepoId.IsHubId(path) ? RepoId.Parse(path).Name
                : Path.GetFileName(Directory.Exists(path) ? Path.GetFullPath(path).TrimEnd('/') : Path.GetDirectoryName(Path.GetFullPath(path)))!;
            var (target, noGpu) = parse.GetValue(gpu) is { } g ? (Gpu.Parse(g), null) : Gpu.TryPresent();
            var plans = parse.GetValue(dtype) is { } d
                ? new MemoryPlanTable([MemoryPlan.For(config, Dtypes.Parse(d), target, parse.GetValue(context), parse.GetValue(batch), name)])
                : MemoryPlan.AllDtypes(config, target, parse.GetValue(context), parse.GetValue(batch), name);
            if (parse.GetValue(json))
            {
                Input.WriteJson(terminal, Json(plans, config, noGpu));
                return ExitCodes.Ok;
            }
            if (noGpu is not null) terminal.Out.WriteLine($"No GPU here ({noGpu}): what {name} needs, with nothing to compare it with. Add --gpu V100-16GB (or --gpu 24GB) to check a GPU.");
            terminal.Out.WriteLine(plans.Count == 1 ? plans[0].ToString() : plans.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static object Json(MemoryPlanTable plans, ModelConfig config, string? noGpu)
    {
        var first = plans[0];
        return new
        {
            model = first.Model,
            parameters = first.Parameters.Total,
            context = first.Context,
            context_is_default = first.ContextIsDefault,
            max_context = config.MaxPositions,
            batch = first.Batch,
            gpu = first.Gpu is { } g ? new
            {
                name = g.Name,
                memory_bytes = g.MemoryBytes,
                in_use_bytes = g.InUseBytes,
                available_bytes = g.AvailableBytes,
                source = g.Source,
                compute_capability = g.ComputeCapability?.ToString(),
            } : null,
            no_gpu_reason = noGpu,
            dtypes = plans.ToDictionary(p => p.Dtype.Name(), p => new
            {
                weight_bytes = p.WeightBytes,
                kv_cache_bytes = p.KvCacheBytes,
                activation_bytes = p.ActivationBytes,
                cuda_bytes = MemoryPlan.CudaOverheadBytes,
                total_bytes = p.TotalBytes,
                headroom_bytes = p.HeadroomBytes,
                fits = p.Gpu is null ? (bool?)null : p.Fits,
                kit_loads = p.Dtype != Dtype.Int4,
                verdict = p.Verdict,
                smallest_change = p.SmallestChange is { } change ? Option(change) : null,
                options = p.Options.Select(Option),
                notes = p.Notes,
            }),
        };
    }

    private static object Option(FitOption option) => new
    {
        change = option.Change,
        dtype = option.Dtype.Name(),
        context = option.Context,
        gpus = option.Gpus,
        bytes_per_gpu = option.BytesPerGpu,
        headroom_bytes = option.HeadroomBytes,
        description = option.Description,
    };
}
