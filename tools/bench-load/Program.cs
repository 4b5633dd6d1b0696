using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using TorchSharp;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;

TorchRuntime.Ensure();
switch (args)
{
    case ["write", var path]:
        Write(path);
        break;
    case ["load", var path, var dtype, var method, .. var rest]:
        for (var run = 1; run <= 3; run++)
            Load(path, dtype == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32, method, run, keep: rest is ["keep"]);
        break;
    default:
        Console.Error.WriteLine("usage: write FILE | load FILE f32|bf16 checkpoint|mmap|from-file [keep]");
        return 2;
}
return 0;

// Realistic shapes: 24 projection matrices of a 1024-wide model with a 4096-wide MLP, and a 32000-token embedding.
static void Write(string path)
{
    using var scope = NewDisposeScope();
    var generator = new torch.Generator(seed: 1);
    var tensors = Enumerable.Range(0, 24)
        .Select(i => ($"layers.{i:D2}.weight", randn([1024, 4096], generator: generator)))
        .Append(("embed_tokens.weight", randn([32000, 1024], generator: generator)))
        .ToList();
    SafetensorsWriter.Write(path, tensors);
    Console.WriteLine($"wrote {path}: {new FileInfo(path).Length / 1e6:N0} MB, {tensors.Count} tensors");
}

/// <param name="keep">Hold every tensor until the end, as a loaded model does, instead of disposing each at once.</param>
static void Load(string path, ScalarType dtype, string method, int run, bool keep)
{
    using var checkpoint = Checkpoint.Open(path);
    var before = Memory("VmRSS");
    File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current resident size
    var clock = Stopwatch.StartNew();
    var kept = new List<Tensor>();
    var count = 0;
    foreach (var tensor in Read(checkpoint, dtype, method))
    {
        count++;
        if (keep) kept.Add(tensor);
        else tensor.Dispose();
    }
    var seconds = clock.Elapsed.TotalSeconds;
    kept.ForEach(tensor => tensor.Dispose());
    var largest = checkpoint.Tensors.Max(t => t.Bytes);
    Console.WriteLine(
        $"run {run} {method} → {dtype}{(keep ? " (kept)" : "")}: {count} tensors, {checkpoint.TotalBytes / 1e6:N0} MB in {seconds * 1000:N0} ms " +
        $"({checkpoint.TotalBytes / 1e9 / seconds:N2} GB/s); peak RSS rose {(Memory("VmHWM") - before) / 1e6:N0} MB " +
        $"(largest tensor {largest / 1e6:N0} MB), RSS before {before / 1e6:N0} MB");
}

static IEnumerable<Tensor> Read(Checkpoint checkpoint, ScalarType dtype, string method) => method switch
{
    "checkpoint" => checkpoint.ReadAll(dtype, CPU).Select(item => item.Tensor),
    "mmap" => ReadMapped(checkpoint, dtype),
    "from-file" => ReadFromFile(checkpoint, dtype),
    _ => throw new ArgumentException($"unknown method {method}: checkpoint, mmap or from-file"),
};

// A view of the file per tensor, copied into a CPU tensor of the stored dtype (f32 here).
static IEnumerable<Tensor> ReadMapped(Checkpoint checkpoint, ScalarType dtype)
{
    using var map = MemoryMappedFile.CreateFromFile(checkpoint.Files[0], FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
    foreach (var tensor in checkpoint.Tensors)
    {
        var stored = empty([.. tensor.Shape], ScalarType.Float32);
        using (var view = map.CreateViewAccessor(tensor.Offset, tensor.Bytes, MemoryMappedFileAccess.Read))
            view.SafeMemoryMappedViewHandle.ReadSpan((ulong)view.PointerOffset, stored.bytes);
        yield return Convert(stored, dtype);
    }
}

// libtorch maps the whole file as f32 (offsets are multiples of 4 here); each tensor is a slice, copied out.
static IEnumerable<Tensor> ReadFromFile(Checkpoint checkpoint, ScalarType dtype)
{
    var floats = new FileInfo(checkpoint.Files[0]).Length / 4;
    using var whole = from_file(checkpoint.Files[0], shared: false, size: floats, dtype: ScalarType.Float32);
    foreach (var tensor in checkpoint.Tensors)
    {
        using var slice = whole.narrow(0, tensor.Offset / 4, tensor.Bytes / 4);
        using var shaped = slice.view([.. tensor.Shape]);
        yield return dtype == ScalarType.Float32 ? shaped.clone() : shaped.to(dtype);
    }
}

static Tensor Convert(Tensor stored, ScalarType dtype)
{
    if (stored.dtype == dtype)
        return stored;
    using (stored)
        return stored.to(dtype);
}

static long Memory(string field) => 1024 * long.Parse(File.ReadLines("/proc/self/status")
    .First(line => line.StartsWith(field + ":", StringComparison.Ordinal))
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
