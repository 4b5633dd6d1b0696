// 03-load-model.ipynb as a .NET 10 file-based app: dotnet run lessons/03-load-model.cs
// Generated from notebooks/03-load-model.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
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

    03 · A model is a config and a pile of named tensors
    ====================================================

    The original notebook called `AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1")` and died with
    CUDA out-of-memory. Before fixing that, look at what a model is on disk:

    1. `config.json` — a dozen numbers that fix the architecture;
    2. `model.safetensors` — named tensors, nothing else: no code;
    3. the module tree those tensors fill — with shapes, dtypes, devices and parameter counts;
    4. the arithmetic that says why Mistral-7B in float32 could not fit a 16 GB GPU.

    We load the kit's own small model, `walkthrough-tiny`: the same Mistral architecture and loading
    code as Mistral-7B, with about 850 times fewer parameters. Sizes are in binary units (1 MiB = 2²⁰
    bytes, 1 GiB = 2³⁰), as lesson 02 explains.

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
    the next one. This lesson opens the model itself: the table of vectors and the layers, as tensors on
    disk and in memory (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Vectors, Stage.Layers));

Console.WriteLine("""

    1 · The config
    --------------

    `config.json` says which architecture to build (`model_type`) and its sizes: the width of each
    token's vector (`hidden_size`), the number of layers, of attention heads, and of key/value heads
    (fewer than heads: grouped-query attention), the vocabulary. Read into one typed record:

    """);

var folder = KitData.DefaultModel;
var config = ModelConfig.Read(folder);
Show(config);

Console.WriteLine("""

    2 · The tensors in the file
    ---------------------------

    A safetensors file is a small JSON header (name, dtype, shape, byte range of every tensor) followed
    by the raw numbers. The kit checks the header before it reads anything. The first ten tensors, and
    the total:

    """);

using (var checkpoint = Checkpoint.Open(folder))
{
    Console.WriteLine($"{checkpoint.Tensors.Count} tensors, {Units.Bytes(checkpoint.TotalBytes)} in {string.Join(", ", checkpoint.Files.Select(Path.GetFileName))}");
    foreach (var tensor in checkpoint.Tensors.Take(10)) Console.WriteLine(tensor);
}

Console.WriteLine("""

    3 · Load it and look inside
    ---------------------------

    `LanguageModel.Load` builds the module tree for the config, then reads the tensors one by one into
    it — straight into the chosen dtype and device, so memory never holds two copies of the model; the
    progress lines count the bytes as they arrive.

    """);

var model = LanguageModel.Load(folder, new LoadOptions { Device = "cpu" }, new LoadProgressText());
Show(model);

Console.WriteLine("""

    Printing the tree shows every module with its parameters (repeated layers folded into one line; in
    the notebook, click a line to fold or unfold it). The names are the ones Hugging Face's transformers
    prints for a Mistral model (`MistralDecoderLayer` …); the kit builds Mistral with its Llama code,
    because Mistral is Llama with a sliding attention window.

    """);

Show(model.Tree());

Console.WriteLine("""

    4 · Where the parameters are
    ----------------------------

    Parameters per kind of module: the embedding matrix (32,000 tokens × hidden size) holds most of such
    a small model's parameters.

    """);

var byKind = model.Tree().Root.Children.SelectMany(c => c.Children.Count > 0 ? c.Children : [c])
    .Select(c => (c.Name, c.ParameterCount));
foreach (var (name, count) in byKind) Console.WriteLine($"{name,-14} {count,12:N0}");
Console.WriteLine($"{"total",-14} {model.ParameterCount,12:N0} parameters, {Units.Bytes(model.ParameterBytes)} in {model.Dtype}");

Console.WriteLine("""

    5 · Why the seed notebook ran out of memory
    -------------------------------------------

    Mistral-7B has the same structure with bigger numbers. Its config is in `data/configs/mistral-7b`.
    Counting its parameters from the config alone and multiplying by the bytes per parameter gives the
    memory the weights need — before anything is loaded. In Mistral-7B the layers, not the embeddings,
    hold almost everything:

    """);

var mistral = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mistral-7b"));
var count = ParameterCount.Of(mistral);
Console.WriteLine($"{count.Total:N0} parameters, {count.Of(ModelPart.Embeddings) * 100.0 / count.Total:0.0}% of them in the embeddings");
foreach (var dtype in new[] { Dtype.Float32, Dtype.BFloat16, Dtype.Int8 })
{
    var bytes = WeightStorage.Bytes(count, dtype);
    Console.WriteLine($"{dtype.Name(),-9} {Units.Bytes(bytes),10} of weights — a V100-16GB (16 GiB) {(bytes < Gpu.Named("V100-16GB").MemoryBytes ? "can" : "cannot")} hold them");
}

Console.WriteLine("""

    6 · On a GPU: loading Mistral-7B for real
    -----------------------------------------

    The same call loads Mistral-7B or MPT-30B-instruct by its Hugging Face id. The kit downloads the
    files into the Hugging Face cache — the one Python's `transformers` uses, so a model downloaded
    there before is reused — and loads them; a local folder works as well. The cell below only runs
    where TorchSharp sees a CUDA GPU; the kit then picks bfloat16 on A100/H100-class GPUs and float16 on
    older ones such as the V100 — 13.49 GiB of weights instead of 26.98. The first run downloads as much
    (the checkpoint is stored in bfloat16); if the hub says the model is gated, accept its licence on
    huggingface.co and set `HF_TOKEN`.

    """);

var mistralId = "mistralai/Mistral-7B-v0.1";   // a Hugging Face id, or the folder you downloaded it to
if (TorchSharp.torch.cuda.is_available())
{
    using var big = LanguageModel.Load(mistralId, progress: new LoadProgressText());   // bfloat16 or float16, chosen for the GPU
    Console.WriteLine(big);
}
else Console.WriteLine($"Skipped: needs a CUDA GPU (it would download {mistralId}, {Units.Bytes(WeightStorage.Bytes(count, Dtype.BFloat16))}, and load it in float16 or bfloat16).");

Console.WriteLine("""

    What you saw
    ------------

    - A Hugging Face model is a `config.json` (the shape of the network) and safetensors files (its
      numbers, by name).
    - Loading = building the module tree from the config, then filling each parameter from the tensor of
      the same name.
    - The memory the weights need is parameters × bytes per parameter: Mistral-7B's 7.24 billion
      parameters take 26.98 GiB in float32 — more than the 16 GiB of a V100-16GB — and 13.49 GiB in 16
      bits.

    Next: lesson 04 runs the loaded model one token at a time.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));
