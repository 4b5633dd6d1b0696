using System.Text;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;
using static Walkthrough.Tests.Checkpoints.SafetensorsTestFiles;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>The writer lays files out as Python's safetensors does, and what it writes reads back bit for bit.</summary>
public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("walkthrough-st-").FullName;

    public SafetensorsWriterTests() => TorchRuntime.Ensure();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FileNamed(string name) => Path.Combine(folder, name);

    [Fact]
    public void One_tensor_gives_the_bytes_of_the_safetensors_package_s_own_alignment_test()
    {
        // safetensors/src/tensor.rs, test_serialization_forced_alignement: 65 bytes of JSON, 7 spaces of padding.
        using var attn0 = arange(6, dtype: ScalarType.Float32).reshape(1, 1, 2, 3);
        var path = FileNamed("attn0.safetensors");

        SafetensorsWriter.Write(path, [("attn0", attn0)]);

        byte[] expected = [.. Length(72), .. """{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       """u8, .. Floats(0, 1, 2, 3, 4, 5)];
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Metadata_alone_gives_the_bytes_of_the_safetensors_package_s_empty_test()
    {
        // safetensors/src/tensor.rs, test_empty: the metadata object first, padded with spaces to 40 bytes.
        var path = FileNamed("empty.safetensors");

        SafetensorsWriter.Write(path, [], new Dictionary<string, string> { ["framework"] = "pt" });

        Assert.Equal([.. Length(40), .. """{"__metadata__":{"framework":"pt"}}     """u8], File.ReadAllBytes(path));
    }

    [Fact]
    public void Wider_dtypes_come_first_then_names_in_order_packed_without_gaps()
    {
        using var b = ones(2, dtype: ScalarType.Float32);
        using var a = ones(3, dtype: ScalarType.Float32);
        using var c = ones(1, dtype: ScalarType.BFloat16);
        using var d = ones(1, dtype: ScalarType.Int64);
        using var e = ones(5, dtype: ScalarType.Int8);
        var path = FileNamed("order.safetensors");

        SafetensorsWriter.Write(path, [("b", b), ("c", c), ("e", e), ("a", a), ("d", d)]);

        var header = SafetensorsHeader.Read(path);
        Assert.Equal(["d", "a", "b", "c", "e"], header.Tensors.Select(t => t.Name));
        Assert.Equal([0L, 8, 20, 28, 30], header.Tensors.Select(t => t.Offset - header.DataStart));
        Assert.Equal(0, header.HeaderBytes % 8);
        var json = Encoding.UTF8.GetString(File.ReadAllBytes(path), 8, (int)header.HeaderBytes);
        Assert.True(json.IndexOf("\"d\"", StringComparison.Ordinal) < json.IndexOf("\"a\"", StringComparison.Ordinal));
    }

    public static TheoryData<ScalarType> Dtypes => new(
        ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16, ScalarType.Float64,
        ScalarType.Int8, ScalarType.Byte, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64, ScalarType.Bool);

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void A_round_trip_gives_bit_identical_tensors(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(seed: 7);
        var original = dtype switch
        {
            ScalarType.Bool => randint(0, 2, [64, 33], generator: generator).to(ScalarType.Bool),
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 =>
                randint(-100, 100, [64, 33], generator: generator).to(dtype) * 977,  // wraps in the narrow types, covering all bits
            _ => cat([
                randn([64, 33], generator: generator).flatten() * 1000,
                tensor(new[] { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f, -1e-42f })]).to(dtype),
        };
        var path = FileNamed("round.safetensors");

        SafetensorsWriter.Write(path, [("w", original)], new Dictionary<string, string> { ["format"] = "pt" });
        using var checkpoint = Checkpoint.Open(path);
        var read = checkpoint.ReadTensor("w", dtype, CPU);

        Assert.Equal(dtype, read.dtype);
        Assert.Equal(original.shape, read.shape);
        Assert.Equal(original.bytes.ToArray(), read.bytes.ToArray());
    }

    [Fact]
    public void Metadata_round_trips()
    {
        var path = FileNamed("meta.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["source"] = "walkthrough" };

        SafetensorsWriter.Write(path, [], metadata);

        Assert.Equal(metadata, SafetensorsHeader.Read(path).Metadata);
    }

    [Fact]
    public void A_transposed_view_is_written_as_its_values_in_order()
    {
        using var scope = NewDisposeScope();
        var matrix = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        var path = FileNamed("view.safetensors");

        SafetensorsWriter.Write(path, [("t", matrix.T)]);
        using var checkpoint = Checkpoint.Open(path);

        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], checkpoint.ReadTensor("t", ScalarType.Float32, CPU).data<float>().ToArray());
    }

    [Fact]
    public void Two_tensors_with_one_name_are_refused_and_nothing_is_written()
    {
        using var a = ones(1);
        var path = FileNamed("twice.safetensors");

        var error = Assert.Throws<WalkthroughException>(() => SafetensorsWriter.Write(path, [("w", a), ("w", a)]));

        Assert.Contains("cannot write two tensors named 'w'", error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_dtype_safetensors_cannot_store_is_refused()
    {
        using var complex = zeros(2, dtype: ScalarType.ComplexFloat32);

        var error = Assert.Throws<WalkthroughException>(() => SafetensorsWriter.Write(FileNamed("c.safetensors"), [("z", complex)]));

        Assert.Contains("tensor 'z' is ComplexFloat32, which safetensors cannot store", error.Message);
    }
}
