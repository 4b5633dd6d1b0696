using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// A model's weights on disk: one <c>model.safetensors</c>, or shards listed by <c>model.safetensors.index.json</c>.
/// Opening reads and checks every header, so names, shapes, dtypes and sizes are known before any weight is read;
/// reading then goes tensor by tensor, so memory grows by one tensor at a time.
/// <code>using var checkpoint = Checkpoint.Open("models/mistral-7b");
/// var embeddings = checkpoint.ReadTensor("model.embed_tokens.weight", ScalarType.BFloat16, CPU);</code>
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private const string SingleFile = "model.safetensors";

    private readonly IReadOnlyDictionary<string, SafetensorsFile> files;    // by path
    private readonly Dictionary<string, CheckpointTensor> byName;

    private Checkpoint(string path, IReadOnlyList<SafetensorsFile> opened)
    {
        Path = path;
        files = opened.ToDictionary(file => file.Header.File);
        Files = opened.Select(file => file.Header.File).ToArray();
        Tensors = opened.SelectMany(file => file.Header.Tensors).ToArray();
        TotalBytes = Tensors.Sum(tensor => tensor.Bytes);
        byName = new Dictionary<string, CheckpointTensor>();
        foreach (var tensor in Tensors)
        {
            if (!byName.TryAdd(tensor.Name, tensor))
                throw new WalkthroughException(
                    $"{path}: tensor '{tensor.Name}' is in both {byName[tensor.Name].File} and {tensor.File}: " +
                    "the shards come from different downloads — download the checkpoint again.");
        }
    }

    /// <summary>The folder or file that was opened.</summary>
    public string Path { get; }

    /// <summary>The <c>.safetensors</c> files, in reading order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every tensor in reading order: file by file, each in the order its bytes lie.</summary>
    public IReadOnlyList<CheckpointTensor> Tensors { get; }

    public IEnumerable<string> Names => Tensors.Select(tensor => tensor.Name);

    /// <summary>The bytes of all tensors as stored.</summary>
    public long TotalBytes { get; }

    /// <summary>Where a tensor is and what it is; an unknown name is an error that suggests near names.</summary>
    public CheckpointTensor this[string name] => byName.TryGetValue(name, out var tensor) ? tensor : throw NotFound(name);

    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>
    /// Opens a model folder (<c>model.safetensors</c>, else <c>model.safetensors.index.json</c>), a single
    /// <c>.safetensors</c> file or an index file, checking every header and, for shards, that the index and the
    /// files agree.
    /// </summary>
    public static Checkpoint Open(string path)
    {
        if (Directory.Exists(path))
        {
            var single = System.IO.Path.Combine(path, SingleFile);
            var index = System.IO.Path.Combine(path, SafetensorsIndex.FileName);
            if (File.Exists(single))
                return OpenFiles(path, [single]);
            if (File.Exists(index))
                return OpenIndex(index);
            var pickle = File.Exists(System.IO.Path.Combine(path, "pytorch_model.bin"))
                ? " It has pytorch_model.bin, PyTorch's pickle format, which the kit does not read: download the model's safetensors files instead."
                : " Download the model's safetensors files into it.";
            throw new WalkthroughException($"{path} has neither {SingleFile} nor {SafetensorsIndex.FileName}.{pickle}");
        }
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
            return OpenIndex(path);
        return OpenFiles(path, [path]);
    }

    /// <summary>
    /// Reads one tensor into a new tensor of <paramref name="dtype"/> on <paramref name="device"/>, which the caller
    /// owns. Changing dtype rounds as torch's <c>to()</c> does (f32 → bf16 to nearest, ties to even; bf16 → f32 exact).
    /// </summary>
    /// <param name="expectedShape">The shape the model needs, when it knows: a different one is an error naming both.</param>
    public Tensor ReadTensor(string name, ScalarType dtype, Device device, long[]? expectedShape = null)
    {
        var tensor = this[name];
        if (expectedShape is not null)
            CheckShape(tensor, expectedShape);
        return Read(tensor, dtype, device);
    }

    /// <summary>
    /// Reads every tensor, one at a time, in the order the files hold them, reporting progress after each. The caller
    /// owns each tensor it is given: disposed once used (copied into a model, say), memory stays near one tensor.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> ReadAll(ScalarType dtype, Device device, IProgress<LoadProgress>? progress = null)
    {
        var done = 0L;
        for (var i = 0; i < Tensors.Count; i++)
        {
            var tensor = Tensors[i];
            var read = Read(tensor, dtype, device);
            done += tensor.Bytes;
            progress?.Report(new LoadProgress(tensor.Name, i + 1, Tensors.Count, done, TotalBytes));
            yield return (tensor.Name, read);
        }
    }

    public void Dispose()
    {
        foreach (var file in files.Values)
            file.Dispose();
    }

    private Tensor Read(CheckpointTensor tensor, ScalarType dtype, Device device)
    {
        var stored = files[tensor.File].ReadStored(tensor);
        if (stored.dtype == dtype && device.type == DeviceType.CPU)
            return stored;
        using (stored)
        {
            // Move first, then convert: an accelerator converts far faster than the CPU, and bf16 crosses the bus at half the bytes of f32.
            using var moved = stored.to(device);
            return moved.to(dtype);
        }
    }

    private static void CheckShape(CheckpointTensor tensor, long[] expected)
    {
        if (!tensor.Shape.SequenceEqual(expected))
            throw new WalkthroughException(
                $"{tensor.File}: tensor '{tensor.Name}' is {tensor.ShapeText} but the model expects {CheckpointTensor.FormatShape(expected)}: " +
                "the checkpoint belongs to a different model size — check that config.json comes from the same download as the weights.");
    }

    private static Checkpoint OpenIndex(string indexPath)
    {
        var index = SafetensorsIndex.Read(indexPath);
        var folder = System.IO.Path.GetDirectoryName(indexPath)!;
        var missing = index.Shards.Where(shard => !File.Exists(shard)).ToArray();
        if (missing.Length > 0)
        {
            var names = missing.Select(System.IO.Path.GetFileName).ToArray();
            var example = index.WeightMap.First(entry => entry.Value == names[0]).Key;
            throw new WalkthroughException(
                $"{indexPath} lists {missing.Length} shard(s) not in {folder}: {string.Join(", ", names)} " +
                $"(which holds '{example}', among others): download the missing file(s) into {folder}.");
        }

        var checkpoint = OpenFiles(folder, index.Shards.Order(StringComparer.Ordinal).ToArray());
        foreach (var (name, shard) in index.WeightMap)
        {
            var path = System.IO.Path.Combine(folder, shard);
            if (!checkpoint.byName.TryGetValue(name, out var tensor) || tensor.File != path)
            {
                checkpoint.Dispose();
                var found = tensor is null ? "which does not hold it" : $"but it is in {System.IO.Path.GetFileName(tensor.File)}";
                throw new WalkthroughException(
                    $"{indexPath}: \"weight_map\" puts tensor '{name}' in {shard}, {found}: the index and the shards come from different downloads — download them again.");
            }
        }
        return checkpoint;
    }

    private static Checkpoint OpenFiles(string path, IReadOnlyList<string> paths)
    {
        var opened = new List<SafetensorsFile>();
        try
        {
            foreach (var file in paths)
                opened.Add(SafetensorsFile.Open(file));
            return new Checkpoint(path, opened);
        }
        catch
        {
            foreach (var file in opened)
                file.Dispose();
            throw;
        }
    }

    private WalkthroughException NotFound(string name)
    {
        // A different prefix ("model." or "transformer.") is the usual reason a name is not found.
        var near = Tensors.Select(tensor => tensor.Name)
            .Where(candidate => candidate.EndsWith(name, StringComparison.Ordinal) || name.EndsWith(candidate, StringComparison.Ordinal))
            .Take(3).ToArray();
        var hint = near.Length > 0
            ? $"near names: {Quote(near)}"
            : $"it has {Tensors.Count} tensors, e.g. {Quote(Tensors.Take(3).Select(tensor => tensor.Name))}";
        return new WalkthroughException($"{Path} has no tensor '{name}' ({hint}): check the name against checkpoint.Names.");
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"'{name}'"));
}
