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
using Walkthrough.Display;

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
    4. replay the seed's failure with numbers, and the smallest change that fixes it;
    5. read the seed's real error message line by line against the plan.

    Units. Memory here is counted in binary units, as `nvidia-smi` and PyTorch count it: 1 MiB = 2²⁰
    bytes, 1 GiB = 2³⁰ bytes = 1,073,741,824 bytes. GPU makers write "16 GB" and mean 16 GiB — the
    V100's 16,384 MiB — so the planner reads a size such as `16GB` the same way, and says so.

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

    Where this lesson is
    --------------------

    Every answer comes out of the same line of six stations, run once for each new piece of text: your
    text is cut into tokens; each token becomes a vector — a list of numbers; the layers mix those
    vectors, again and again; the last layer gives a logit, a score, to every token the model knows; one
    token is chosen, added to the text, and the line runs again. Think of your phone's autocomplete,
    taken very seriously: it never plans a whole answer, it only ever picks the next piece — and then
    the next one. This lesson is about the machine the layers run on: their weights, and the memory they
    need (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Layers));

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

    How many tokens? Unless you say, the planner plans for 4,096 tokens of context — a long prompt and
    its answer, some 3,000 words. Mistral-7B could read 32,768; a plan for that many is a different
    question (`context: 32768`), and the plan's note says so. The seed notebook's load, in float32 on
    the V100:

    """);

var v100 = Gpu.Named("V100-16GB");
var seed = MemoryPlan.For(mistral, Dtype.Float32, v100, model: "Mistral-7B");
Console.WriteLine($"KV cache per token: {seed.KvCacheBytesPerToken / 2:N0} bytes in 16 bits");
Show(seed);

Console.WriteLine("""

    That is the seed notebook's failure, with numbers: the weights alone in float32 (26.98 GiB) are
    larger than the whole GPU (16.00 GiB). The planner also names the smallest change that makes it fit:
    float16 (a V100 has no bfloat16 arithmetic). The same model in every number format — the int4 row is
    for comparison only: the kit loads weights in 8 bits at most, and the note names the tools that load
    4-bit ones:

    """);

var table = MemoryPlan.AllDtypes(mistral, v100, model: "Mistral-7B");
Show(table);

Show(table.Chart());

Console.WriteLine("""

    4 · MPT-30B-instruct with a 16,384-token context
    ------------------------------------------------

    The MPT blog raised `max_seq_len` to 16,384 and loaded MPT-30B-instruct in bfloat16 and in 8-bit on
    an 80 GB GPU. At that length the KV cache is no longer small — 21 GiB, it grows with every token of
    context: in bfloat16 the model misses the A100-80GB by 1.45 GiB, in 8 bits it fits.

    """);

var mpt = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mpt-30b-instruct"));
Show(MemoryPlan.AllDtypes(mpt, Gpu.Named("A100-80GB"), context: 16384, model: "MPT-30B-instruct"));

Console.WriteLine("""

    5 · The seed's error, line by line
    ----------------------------------

    The original notebook ended with this message (PyTorch's own spelling):

    > CUDA out of memory. Tried to allocate 250.00 MiB. GPU 0 has a total capacty of 15.77 GiB of which
    > 74.38 MiB is free. Process 88467 has 15.70 GiB memory in use. Of the allocated memory 15.21 GiB is
    > allocated by PyTorch, and 137.42 MiB is reserved by PyTorch but unallocated. …

    `CudaOutOfMemory` reads its figures; `Beside` sets each against the plan above. Look for four
    things: why the GPU has 15.77 GiB and not 16 (the driver keeps 232 MiB, which the seed's
    `nvidia-smi` listed as Reserved); what "reserved by PyTorch" is (memory PyTorch keeps for reuse —
    free for PyTorch, taken for everyone else); that the 250 MiB which failed is one tensor, not the
    model; and how far the load got (56% of the weights).

    """);

var oom = CudaOutOfMemory.Parse(CudaOutOfMemory.SeedMessage);
Show(oom.Beside(seed, driverReservedBytes: 232L << 20)   // 232 MiB: nvidia-smi's "Reserved" line in the seed);

Console.WriteLine("""

    6 · The estimate, checked
    -------------------------

    Plans are estimates; a real load shows what the weights actually take. The kit's bundled model,
    loaded on the CPU, beside its plan — the same parameters and the same bytes:

    """);

var model = LanguageModel.Default();
var plan = MemoryPlan.For(model.Config, Dtype.Float32, Gpu.WithMemory("16GB"), context: 512, model: model.Name);
Show(LoadCheck.Of(model, plan));

Console.WriteLine("""

    7 · Your turn
    -------------

    Pick another GPU (`T4-16GB`, `A10-24GB`, `RTX4090-24GB`, `L4-24GB`, `A100-40GB`, `H100-80GB`,
    `H200-141GB`, or a size such as `"12GB"`, read as 12 GiB) and another model (`llama-2-7b`,
    `tinyllama-1.1b-chat`, `mpt-7b-instruct`, `gpt2`). Pass `context:` to plan for more or fewer tokens
    than 4,096.

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
    - Mistral-7B needs about 27 GiB of weights in float32 — more than a 16 GB V100 has. In float16 it
      fits, with less than 1 GiB to spare; int8 halves the weights again.
    - The seed's error says the same in PyTorch's words: the GPU was full after 15.21 GiB of weights,
      with 74.38 MiB free and 250 MiB more asked for.

    Next: lesson 03 loads a model for real and looks inside it.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));

static void display(object? value) => Show(value);
