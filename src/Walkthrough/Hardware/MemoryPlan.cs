using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Checkpoints;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>Parameters and bytes of one part of a model in a plan.</summary>
public sealed record PartSize(ModelPart Part, long Parameters, long Bytes);

/// <summary>
/// Will this model fit on this GPU, in this dtype, at this context — answered from config.json alone, before any
/// weight is read. <code>var plan = MemoryPlan.For(config, Dtype.Float16, Gpu.Named("V100-16GB"));</code>
/// Without a GPU (<c>gpu: null</c>) the plan states what the model needs and says there is nothing to compare with.
/// The context is <see cref="DefaultContext"/> tokens unless told (or the model's maximum, if shorter).
/// The total is four stated parts:
/// <list type="bullet">
/// <item>weights — every parameter at the dtype (<see cref="WeightStorage"/> for int8 and int4);</item>
/// <item>KV cache — 2 (keys and values) × layers × kv_heads × head_dim numbers per token, × context × batch, in the
/// compute dtype; every token is kept, as the kit's KvCache and transformers' default cache keep them;</item>
/// <item>activations — an estimate of the widest moment of a prefill over the whole context: per token, one layer's
/// residual stream, normed input, attention output and queries (4 × hidden) and its MLP's two widest tensors
/// (2 × intermediate), plus the logits (vocabulary) — × context × batch × bytes. Attention scores are not counted:
/// fused attention never stores them whole;</item>
/// <item>the CUDA allowance — <see cref="CudaOverheadBytes"/> for the CUDA context and the memory the driver keeps.</item>
/// </list>
/// </summary>
public sealed record MemoryPlan
{
    /// <summary>
    /// 500 MiB for what CUDA takes before the first weight: the driver's reserve (232 MiB of the seed's V100, which
    /// nvidia-smi showed as "Reserved") and the CUDA context libtorch creates with its kernels, a few hundred MiB.
    /// </summary>
    public const long CudaOverheadBytes = 500L << 20;

    /// <summary>
    /// Tokens planned for when no context is given: a long prompt and its answer (some 3,000 words), the length
    /// Llama 2 was trained at and Mistral-7B's attention window. A model's maximum (Mistral-7B: 32,768) is what it
    /// can read, not what a session uses; planning for it would call a fitting model too big.
    /// </summary>
    public const int DefaultContext = 4096;

    /// <summary>No model is run with a context longer than this; a larger number is a typo.</summary>
    public const int MaxContext = 1 << 24;

    public const int MaxBatch = 4096;

    public required string Model { get; init; }

    public required ModelConfig Config { get; init; }

    public required Dtype Dtype { get; init; }

    /// <summary>The GPU the needs are compared with; null when there is none (the plan then only states the needs).</summary>
    public required Gpu? Gpu { get; init; }

    /// <summary>Tokens per sequence: prompt and answer together.</summary>
    public required int Context { get; init; }

    /// <summary>Whether <see cref="Context"/> is the planner's default rather than a number you gave.</summary>
    public bool ContextIsDefault { get; init; }

    public required int Batch { get; init; }

    public required ParameterCount Parameters { get; init; }

    /// <summary>Changes that would make it fit, smallest first; empty when it fits.</summary>
    public IReadOnlyList<FitOption> Options { get; init; } = [];

    /// <summary>What the numbers alone do not say: emulated bfloat16, a context past training length, memory already in use.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public long WeightBytes => WeightStorage.Bytes(Parameters, Dtype);

    /// <summary>Keys and values of one token of one sequence, all layers: 2 × layers × kv_heads × head_dim × bytes.</summary>
    public long KvCacheBytesPerToken => 2L * Config.Layers * Config.KeyValueHeads * Config.HeadDim * Dtype.ComputeBytes();

    public long KvCacheBytes => KvCacheBytesPerToken * Context * Batch;

    /// <summary>(4 × hidden + 2 × intermediate + vocabulary) numbers per token, in the compute dtype.</summary>
    public long ActivationBytesPerToken => (4L * Config.HiddenSize + 2L * Config.IntermediateSize + Config.VocabularySize) * Dtype.ComputeBytes();

    public long ActivationBytes => ActivationBytesPerToken * Context * Batch;

    public long TotalBytes => WeightBytes + KvCacheBytes + ActivationBytes + CudaOverheadBytes;

    /// <summary>Bytes left on the GPU after the plan; negative when it does not fit; null without a GPU.</summary>
    public long? HeadroomBytes => Gpu is null ? null : Gpu.AvailableBytes - TotalBytes;

    /// <summary>Whether it fits the GPU; false when there is no GPU to compare with (see <see cref="Gpu"/>).</summary>
    public bool Fits => HeadroomBytes >= 0;

    /// <summary>Bytes the GPU lacks; 0 when it fits or there is no GPU.</summary>
    public long MissingBytes => Math.Max(0, -(HeadroomBytes ?? 0));

    /// <summary>"fits, 957.5 MiB to spare", "13.64 GiB missing", or "no GPU to compare with" — the table's verdict column.</summary>
    public string Outcome => Gpu is null ? "no GPU to compare with"
        : Fits ? $"fits, {Units.Bytes(HeadroomBytes!.Value)} to spare" : $"{Units.Bytes(MissingBytes)} missing";

    public FitOption? SmallestChange => Options.Count > 0 ? Options[0] : null;

    /// <summary>Parameters and weight bytes per part of the model.</summary>
    public IReadOnlyList<PartSize> Parts => Enum.GetValues<ModelPart>()
        .Select(part => new PartSize(part, Parameters.Of(part), Parameters.Groups.Where(g => g.Part == part).Sum(g => WeightStorage.Bytes(g, Dtype))))
        .ToList();

    /// <summary>The answer in a sentence or two, with the smallest change when it does not fit.</summary>
    public string Verdict
    {
        get
        {
            var what = Invariant($"{Model} in {Dtype.Name()} at {Context:N0} tokens{(Batch > 1 ? Invariant($" × {Batch} sequences") : "")}");
            if (Gpu is null)
                return $"{what} needs {Units.Bytes(TotalBytes)}; there is no GPU to compare with — name one (V100-16GB) or give its memory (24GB).";
            if (Fits)
                return $"{what} needs {Units.Bytes(TotalBytes)} of the {Gpu.Name}'s {Units.Bytes(Gpu.AvailableBytes)}: it fits, with {Units.Bytes(HeadroomBytes!.Value)} to spare.";
            var change = SmallestChange is { } option ? $"Smallest change: {option.Description}." : "No single change tried makes it fit.";
            return $"{what} needs {Units.Bytes(TotalBytes)} but the {Gpu.Name} has {Units.Bytes(Gpu.AvailableBytes)}: {Units.Bytes(MissingBytes)} missing. {change}";
        }
    }

    /// <summary>
    /// Plans <paramref name="config"/> in <paramref name="dtype"/> on <paramref name="gpu"/> (null: no GPU, needs only) for
    /// <paramref name="context"/> tokens (default: <see cref="DefaultContext"/>, or the model's maximum if shorter) and
    /// <paramref name="batch"/> sequences at once.
    /// <paramref name="model"/> names it in the verdict (default: the config's _name_or_path, else its model_type).
    /// </summary>
    public static MemoryPlan For(ModelConfig config, Dtype dtype, Gpu? gpu, int? context = null, int batch = 1, string? model = null)
    {
        var plan = Build(config, dtype, gpu, context, batch, model);
        return plan with { Options = FitAdvice.For(plan), Notes = FitAdvice.Int4Note(plan) is { } int4 ? [.. plan.Notes, int4] : plan.Notes };
    }

    /// <summary>The same model, GPU and context in every dtype, widest first: the table that shows why 16 bits fit.</summary>
    public static MemoryPlanTable AllDtypes(ModelConfig config, Gpu? gpu, int? context = null, int batch = 1, string? model = null) =>
        new(Dtypes.All.Select(dtype => For(config, dtype, gpu, context, batch, model)).ToList());

    public string ToHtml() => MemoryPlanHtml.Render(this);

    /// <summary>A stacked bar of the four parts beside a line at the GPU's memory.</summary>
    public Figure Chart() => MemoryCharts.Plans([this]);

    /// <summary>The breakdown as plain text, for terminals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{Model}: {Parameters.Total:N0} parameters in {Dtype.Name()}, {Context:N0} tokens × {Batch} {Target}"));
        foreach (var (label, bytes, how) in Lines())
            text.AppendLine($"  {label,-16}{Units.Bytes(bytes),12}   {how}");
        text.AppendLine($"  {"total",-16}{Units.Bytes(TotalBytes),12}   {(Gpu is not null && !Fits ? "does not fit, " : "")}{Outcome}");
        text.AppendLine(Verdict);
        foreach (var option in Options.Skip(1)) text.AppendLine($"  or: {option.Description}");
        foreach (var note in Notes) text.AppendLine($"Note: {note}");
        return text.ToString();
    }

    /// <summary>"on V100-16GB (16.00 GiB available; NVIDIA data sheet: 16 GB)", or "with no GPU to compare with" — the text and HTML headings'.</summary>
    internal string Target => Gpu is null ? "with no GPU to compare with" : $"on {Gpu.Name} ({Units.Bytes(Gpu.AvailableBytes)} available; {Gpu.Source})";

    /// <summary>The four parts of the total with how each was computed — shared by the text and HTML forms.</summary>
    internal IEnumerable<(string Label, long Bytes, string How)> Lines()
    {
        var bytes = Dtype.IsQuantized() ? Dtype.Name() + " Linear weights, 16-bit rest" : $"{Dtype.ComputeBytes()} bytes each";
        yield return ("weights", WeightBytes, Invariant($"{Parameters.Total:N0} parameters, {bytes}"));
        yield return ("KV cache", KvCacheBytes, Invariant($"{Units.Bytes(KvCacheBytesPerToken)} per token (2 × {Config.Layers} layers × {Config.KeyValueHeads} kv heads × {Config.HeadDim} × {Dtype.ComputeBytes()} bytes) × {Context:N0} × {Batch}"));
        yield return ("activations", ActivationBytes, Invariant($"(4 × {Config.HiddenSize} + 2 × {Config.IntermediateSize} + {Config.VocabularySize}) × {Dtype.ComputeBytes()} bytes per token × {Context:N0} × {Batch}"));
        yield return ("CUDA allowance", CudaOverheadBytes, "CUDA context and driver reserve");
    }

    internal static MemoryPlan Build(ModelConfig config, Dtype dtype, Gpu? gpu, int? context, int batch, string? model)
    {
        ArgumentNullException.ThrowIfNull(config);
        var parameters = ParameterCount.Of(config);
        var tokens = context ?? Math.Min(DefaultContext, config.MaxPositions);
        if (tokens < 1)
            throw new WalkthroughException($"The context must be at least 1 token (got {tokens}).");
        if (tokens > MaxContext)
            throw new WalkthroughException(Invariant($"A context of {tokens:N0} tokens is more than any model here can attend to (at most {MaxContext:N0}); check the number."));
        if (config.Architecture == Architecture.Gpt2 && tokens > config.MaxPositions)
            throw new WalkthroughException(Invariant($"GPT-2 learned one position embedding for each of {config.MaxPositions:N0} positions (n_positions), so it cannot read {tokens:N0} tokens."));
        if (batch is < 1 or > MaxBatch)
            throw new WalkthroughException($"The batch must be between 1 and {MaxBatch} sequences (got {batch}).");
        return new MemoryPlan
        {
            Model = model ?? Name(config),
            Config = config,
            Dtype = dtype,
            Gpu = gpu,
            Context = tokens,
            ContextIsDefault = context is null,
            Batch = batch,
            Parameters = parameters,
            Notes = NotesFor(config, dtype, gpu, tokens, context is null),
        };
    }

    /// <summary>Why a plan without a given context is for this many tokens, and how to plan for more.</summary>
    public string? ContextNote => ContextIsDefault ? DefaultContextNote(Config, Context) : null;

    private static string DefaultContextNote(ModelConfig config, int context) =>
        Invariant($"{context:N0} tokens is the planner's default context (a long prompt and its answer)") + (config.MaxPositions > context
            ? Invariant($"; the model can read up to {config.MaxPositions:N0}: give a context (--context) to plan for more.")
            : ", the most this model reads.");

    private static string Name(ModelConfig config) =>
        config.Raw["_name_or_path"] is JsonValue value && value.TryGetValue<string>(out var name) && name.Length > 0 ? name : config.ModelType;

    private static List<string> NotesFor(ModelConfig config, Dtype dtype, Gpu? gpu, int context, bool contextIsDefault)
    {
        var notes = new List<string>();
        if (contextIsDefault) notes.Add(DefaultContextNote(config, context));
        if (gpu is null)
            notes.Add("There is no GPU to compare with: these are the model's needs alone. Name a GPU (V100-16GB, A100-80GB …) or give its memory (24GB) to see whether it fits.");
        if (dtype == Dtype.BFloat16 && gpu is { ComputesBFloat16: false })
            notes.Add($"The {gpu.Name} (compute capability {gpu.ComputeCapability}) has no bfloat16 arithmetic: libtorch emulates it, slowly. Use float16 there.");
        if (context > config.MaxPositions)
            notes.Add(Invariant($"{context:N0} tokens is past the {config.MaxPositions:N0} the config allows; ") + (config.Architecture == Architecture.Mpt
                ? "MPT's ALiBi lets it read longer texts (the seed set max_seq_len to 16384), though it was trained on shorter ones."
                : "rotary position embeddings work past it, but the model was not trained there and its answers degrade."));
        if (config.SlidingWindow is { } window && context > window)
            notes.Add(Invariant($"The model attends to the last {window:N0} tokens only, yet every token's keys and values are counted: the kit's KvCache, like transformers' default cache, keeps them all."));
        if (dtype == Dtype.Int8)
            notes.Add("int8: each Linear weight row in 8 bits plus one float16 scale (the kit's Int8Linear); embeddings, norms and biases stay 16-bit; it computes in float16.");
        if (dtype == Dtype.Int4)
            notes.Add($"int4: Linear weights in 4 bits plus one float16 scale per {WeightStorage.Int4GroupSize} inputs of a row; embeddings, norms and biases stay 16-bit; it computes in float16. " + FitAdvice.Int4Elsewhere);
        if (gpu is { InUseBytes: > 0 })
            notes.Add($"{Units.Bytes(gpu.InUseBytes)} of the {gpu.Name} is already in use, so the plan has {Units.Bytes(gpu.AvailableBytes)} of its {Units.Bytes(gpu.MemoryBytes)}.");
        return notes;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
