using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>A model folder, single file or shards, opens as one set of tensors and loads tensor by tensor.</summary>
public sealed class CheckpointTests : IDisposable
{
    private const string First = "model-00001-of-00002.safetensors";
    private const string Second = "model-00002-of-00002.safetensors";

    private readonly string folder = Directory.CreateTempSubdirectory("walkthrough-ckpt-").FullName;

    public CheckpointTests() => TorchRuntime.Ensure();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FileNamed(string name) => Path.Combine(folder, name);

    /// <summary>embed [4, 3] and norm [3] in the first shard, head [2, 3] in the second, all f32 counting up.</summary>
    private void WriteShards(string? indexJson = null)
    {
        using var scope = NewDisposeScope();
        SafetensorsWriter.Write(FileNamed(First), [
            ("embed", arange(12, dtype: ScalarType.Float32).reshape(4, 3)),
            ("norm", arange(100, 103, dtype: ScalarType.Float32))]);
        SafetensorsWriter.Write(FileNamed(Second), [("head", arange(200, 206, dtype: ScalarType.Float32).reshape(2, 3))]);
        File.WriteAllText(FileNamed("model.safetensors.index.json"), indexJson ??
            $$$"""{"metadata":{"total_size":84},"weight_map":{"embed":"{{{First}}}","head":"{{{Second}}}","norm":"{{{First}}}"}}""");
    }

    [Fact]
    public void A_sharded_checkpoint_opens_as_one_set_of_tensors()
    {
        WriteShards();

        using var checkpoint = Checkpoint.Open(folder);
        using var head = checkpoint.ReadTensor("head", ScalarType.Float32, CPU);

        Assert.Equal([FileNamed(First), FileNamed(Second)], checkpoint.Files);
        Assert.Equal(["embed", "norm", "head"], checkpoint.Names);
        Assert.Equal([2L, 3L], checkpoint["head"].Shape);
        Assert.Equal(48 + 12 + 24, checkpoint.TotalBytes);
        Assert.Equal([200f, 201, 202, 203, 204, 205], head.data<float>().ToArray());
    }

    [Fact]
    public void A_missing_shard_is_named_with_a_tensor_it_holds()
    {
        WriteShards();
        File.Delete(FileNamed(Second));

        var error = Assert.Throws<WalkthroughException>(() => Checkpoint.Open(folder));

        Assert.Contains($"lists 1 shard(s) not in {folder}: {Second} (which holds 'head', among others): download the missing file(s)", error.Message);
    }

    [Fact]
    public void A_tensor_the_index_puts_in_a_shard_that_lacks_it_is_named()
    {
        WriteShards($$$"""{"weight_map":{"embed":"{{{First}}}","head":"{{{Second}}}","norm":"{{{First}}}","bias":"{{{Second}}}"}}""");

        var error = Assert.Throws<WalkthroughException>(() => Checkpoint.Open(folder));

        Assert.Contains($"puts tensor 'bias' in {Second}, which does not hold it", error.Message);
    }

    [Fact]
    public void A_tensor_in_two_shards_is_refused()
    {
        WriteShards();
        using (var scope = NewDisposeScope())
            SafetensorsWriter.Write(FileNamed(Second), [("head", zeros(2, 3)), ("norm", ones(3))]);

        var error = Assert.Throws<WalkthroughException>(() => Checkpoint.Open(folder));

        Assert.Contains($"tensor 'norm' is in both {FileNamed(First)} and {FileNamed(Second)}", error.Message);
    }

    [Fact]
    public void A_shard_name_that_leaves_the_folder_is_refused()
    {
        WriteShards($$$"""{"weight_map":{"embed":"../{{{First}}}"}}""");

        var error = Assert.Throws<WalkthroughException>(() => Checkpoint.Open(folder));

        Assert.Contains("is not a file name in the model folder", error.Message);
    }

    [Fact]
    public void A_folder_without_safetensors_says_which_files_it_looked_for()
    {
        File.WriteAllText(FileNamed("pytorch_model.bin"), "");

        var error = Assert.Throws<WalkthroughException>(() => Checkpoint.Open(folder));

        Assert.Contains("has neither model.safetensors nor model.safetensors.index.json", error.Message);
        Assert.Contains("pytorch_model.bin", error.Message);
    }

    [Fact]
    public void Progress_reports_add_up_to_the_total_bytes()
    {
        WriteShards();
        using var checkpoint = Checkpoint.Open(folder);
        var progress = new CheckpointProgressRecorder();

        foreach (var (_, tensor) in checkpoint.ReadAll(ScalarType.BFloat16, CPU, progress))
            tensor.Dispose();

        var reports = progress.Reports;
        Assert.Equal(["embed", "norm", "head"], reports.Select(r => r.Tensor));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Index));
        Assert.All(reports, r => Assert.Equal((3, checkpoint.TotalBytes), (r.Count, r.BytesTotal)));
        Assert.Equal([48L, 60, 84], reports.Select(r => r.BytesDone));           // stored f32 bytes, not the bf16 ones
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public void Reading_all_converts_each_tensor_to_the_dtype_asked_for()
    {
        WriteShards();
        using var checkpoint = Checkpoint.Open(folder);

        var read = checkpoint.ReadAll(ScalarType.BFloat16, CPU).ToList();

        Assert.All(read, item => Assert.Equal(ScalarType.BFloat16, item.Tensor.dtype));
        Assert.Equal([100f, 101, 102], read[1].Tensor.to(ScalarType.Float32).data<float>().ToArray());
        read.ForEach(item => item.Tensor.Dispose());
    }

    [Fact]
    public void A_single_file_folder_opens_like_the_file_itself()
    {
        using (var w = ones(2, 2))
            SafetensorsWriter.Write(FileNamed("model.safetensors"), [("w", w)]);

        using var byFolder = Checkpoint.Open(folder);
        using var byFile = Checkpoint.Open(FileNamed("model.safetensors"));

        Assert.Equal(byFile.Tensors.Select(t => (t.Name, t.File, t.Offset, t.Bytes)), byFolder.Tensors.Select(t => (t.Name, t.File, t.Offset, t.Bytes)));
        Assert.Equal(16, byFolder.TotalBytes);
    }
}
