// 02-gpu-memory.ipynb as a .NET 10 file-based app: dotnet run lessons/02-gpu-memory.cs
// Generated from notebooks/02-gpu-memory.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
#:property UsesLibTorch=true
// On an NVIDIA GPU, set the next line to true: it swaps the CPU build of libtorch for the CUDA one.
#:property WalkthroughCuda=false
#:project ../src/Walkthrough/Walkthrough.csproj

using System.IO;
using Walkthrough;
using Walkthrough.Checkpoints;
using Walkthrough.Hardware;

Console.WriteLine("""

    02 · GPU memory: will the model fit?
    ====================================

    The original notebook ran `nvidia-smi`, saw a Tesla V100 with 16,384 MiB, loaded Mistral-7B — and
    died with CUDA out of memory. It never asked the question that would have saved it: how much memory
    does this model need, in which number format, and why? That question can be answered from
    `config.json` alone, before a single weight is downloaded.

    In this lesson you will:

    1. read the same GPU facts `nvidia-smi` printed, from C# (or, without an NVIDIA GPU, the machine's
       memory);
    2. count a model's parameters from its config, part by part;
    3. turn parameters into bytes — float32, bfloat16, float16, int8, int4 — and add the KV cache;
    4. replay the seed's failure with numbers, and the smallest change that fixes it.

    """);

Console.WriteLine("""

    Set-up
    ------

    The same first cell as in every lesson: the kit (built by the README's set-up into
    `artifacts/packages`) and the CPU build of TorchSharp. On an NVIDIA GPU, replace `TorchSharp-cpu` by
    `TorchSharp-cuda-linux` (or `TorchSharp-cuda-windows`) — the only change. Its output checks the
    machine: a red line says what to fix.

    """);

Show(Doctor.Check());

Console.WriteLine("""

    1 · What `nvidia-smi` shows
    ---------------------------

    The kit asks NVIDIA's management library (NVML) directly: per GPU its name, driver, memory used and
    free, utilisation, temperature, power, and which processes hold memory. On a machine without an
    NVIDIA GPU it says so and shows the machine's RAM instead — this lesson works either way.

    """);

var report = GpuReport.Read();
Show(report);

Console.WriteLine("""

    Used and free memory per GPU, as a chart (only where there is a GPU):

    """);

if (report.Available) display(report.Chart());
else Console.WriteLine($"No GPU to draw: {report.Reason}");

Console.WriteLine("""

    2 · Count the parameters from the config
    ----------------------------------------

    Mistral-7B's `config.json` is in `data/configs/mistral-7b`. Every weight matrix's shape follows from
    a few of its numbers: the embeddings are vocabulary × hidden size, each layer's attention has query,
    key, value and output projections, its MLP three matrices of hidden × intermediate size, and so on.
    Added up, the count equals the 7,241,732,096 parameters Mistral AI published.

    """);

var mistral = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mistral-7b"));
var count = ParameterCount.Of(mistral);
Console.WriteLine($"{count.Total:N0} parameters");

Console.WriteLine("""

    3 · From parameters to bytes
    ----------------------------

    Each parameter takes 4 bytes in float32, 2 in bfloat16 or float16, 1 in int8 and half a byte in
    int4. On top of the weights, generating text needs the KV cache — for every token, every layer keeps
    a key and a value vector per key/value head — plus activations and the CUDA context. For Mistral-7B
    the KV cache costs, per token: 2 (key and value) × 32 layers × 8 heads × 128 dimensions × 2 bytes =
    131,072 bytes.

    """);

var v100 = Gpu.Named("V100-16GB");
var seed = MemoryPlan.For(mistral, Dtype.Float32, v100, context: 4096, model: "Mistral-7B");
Console.WriteLine($"KV cache per token: {seed.KvCacheBytesPerToken / 2:N0} bytes in 16 bits");
Show(seed);

Console.WriteLine("""

    That is the seed notebook's failure, with numbers: the weights alone in float32 are larger than the
    whole GPU. The planner also names the smallest change that makes it fit. The same model in every
    number format:

    """);

var table = MemoryPlan.AllDtypes(mistral, v100, context: 4096, model: "Mistral-7B");
Show(table);

Show(table.Chart());

Console.WriteLine("""

    4 · MPT-30B-instruct with a 16,384-token context
    ------------------------------------------------

    The MPT blog raised `max_seq_len` to 16,384 and loaded MPT-30B-instruct in bfloat16 and in 8-bit on
    an 80 GB GPU. At that length the KV cache is no longer small: it grows with every token of context.

    """);

var mpt = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mpt-30b-instruct"));
Show(MemoryPlan.AllDtypes(mpt, Gpu.Named("A100-80GB"), context: 16384, model: "MPT-30B-instruct"));

Console.WriteLine("""

    5 · The estimate, checked
    -------------------------

    Plans are estimates; a real load shows what the weights actually take. The kit's bundled model,
    loaded on the CPU, beside its plan:

    """);

var model = LanguageModel.Default();
var plan = MemoryPlan.For(model.Config, Dtype.Float32, Gpu.WithMemory("16GB"), context: 512, model: model.Name);
Show(LoadCheck.Of(model, plan));

Console.WriteLine("""

    6 · Your turn
    -------------

    Pick another GPU (`T4-16GB`, `A10-24GB`, `RTX4090-24GB`, `L4-24GB`, `A100-40GB`, `H100-80GB`,
    `H200-141GB`, or a size such as `"12GB"`) and another model (`llama-2-7b`, `tinyllama-1.1b-chat`,
    `mpt-7b-instruct`, `gpt2`).

    """);

var yourGpu = Gpu.Parse("RTX4090-24GB");
var yourModel = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "llama-2-7b"));
Show(MemoryPlan.AllDtypes(yourModel, yourGpu, model: "Llama-2-7B"));

Console.WriteLine("""

    What you saw
    ------------

    - The GPU facts of `nvidia-smi` come from NVML; without a GPU, the machine's RAM is what there is.
    - Parameters follow from the config; bytes = parameters × bytes per parameter, plus the KV cache
      (which grows with context), activations and the CUDA context.
    - Mistral-7B needs about 27 GiB of weights in float32 — more than a 16 GB V100. In float16 it fits,
      with little to spare; int8 halves the weights again.

    Next: lesson 03 loads a model for real and looks inside it.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));

static void display(object? value) => Show(value);
