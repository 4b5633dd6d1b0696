using System.CommandLine;
using System.Text.Json;
using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using Walkthrough.Hub;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough plan MODEL_DIR|CONFIG_JSON|ORG/NAME [--dtype D] [--gpu NAME|SIZE] [--context N]</c>: will it fit — from
/// config.json alone, before any weight is read.
/// </summary>
public static class PlanCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model")
        {
            Description = "A model folder or its config.json (e.g. data/configs/mistral-7b), or a model id on the hub (org/name): only its config.json is downloaded.",
        };
        var dtype = new Option<string>("--dtype") { Description = "float32, bfloat16, float16, int8 or int4; default: all of them." };
        var gpu = new Option<string>("--gpu") { Description = "A GPU by name (V100-16GB, A100-80GB, H100 ...) or a size (24GB); default: the GPU present." };
        var context = new Option<int?>("--context") { Description = "Tokens of context to plan the KV cache for; default: the model's maximum." };
        var batch = new Option<int>("--batch") { Description = "Sequences at once.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON: parameters and, per dtype, weight_bytes, kv_cache_bytes, total_bytes, fits." };
        var command = new Command("plan", "Work out from config.json whether a model fits a GPU, in which dtype, and why.") { model, dtype, gpu, context, batch, json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var path = parse.GetValue(model)!;
            var config = ModelConfig.Read(path);
            var name = RepoId.IsHubId(path) ? RepoId.Parse(path).Name
                : Path.GetFileName(Directory.Exists(path) ? Path.GetFullPath(path).TrimEnd('/') : Path.GetDirectoryName(Path.GetFullPath(path)))!;
            var target = parse.GetValue(gpu) is { } g ? Gpu.Parse(g) : Gpu.Present();
            var plans = parse.GetValue(dtype) is { } d
                ? new MemoryPlanTable([MemoryPlan.For(config, Dtypes.Parse(d), target, parse.GetValue(context), parse.GetValue(batch), name)])
                : MemoryPlan.AllDtypes(config, target, parse.GetValue(context), parse.GetValue(batch), name);
            if (!parse.GetValue(json))
            {
                terminal.Out.WriteLine(plans.Count == 1 ? plans[0].ToString() : plans.ToString());
                return ExitCodes.Ok;
            }
            terminal.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = name,
                parameters = plans[0].Parameters.Total,
                gpu = plans[0].Gpu.Name,
                gpu_bytes = plans[0].Gpu.AvailableBytes,
                context = plans[0].Context,
                dtypes = plans.ToDictionary(p => p.Dtype.Name(), p => new
                {
                    weight_bytes = p.WeightBytes,
                    kv_cache_bytes = p.KvCacheBytes,
                    activation_bytes = p.ActivationBytes,
                    cuda_bytes = MemoryPlan.CudaOverheadBytes,
                    total_bytes = p.TotalBytes,
                    fits = p.Fits,
                    smallest_change = p.Fits ? null : p.SmallestChange?.ToString(),
                }),
            }, Input.JsonOptions));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
