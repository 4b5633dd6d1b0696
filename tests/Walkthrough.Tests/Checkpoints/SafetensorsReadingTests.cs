using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static TorchSharp.torch;
using static Walkthrough.Tests.Checkpoints.SafetensorsTestFiles;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>Bytes in the file become the values the format says, in the dtype asked for, rounded as torch rounds.</summary>
public sealed class SafetensorsReadingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("walkthrough-st-").FullName;

    public SafetensorsReadingTests() => TorchRuntime.Ensure();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private Checkpoint Open(string header, byte[] data) =>
        Checkpoint.Open(Write(Path.Combine(folder, "model.safetensors"), header, data));

    private static ushort[] HalfBits(Tensor tensor) =>
        [.. Enumerable.Range(0, (int)tensor.NumberOfElements).Select(i => BitConverter.ToUInt16(tensor.bytes[(2 * i)..]))];

    [Fact]
    public void A_hand_made_file_reads_to_its_known_values()
    {
        using var checkpoint = Open(
            """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[12,14]}}""",
            [.. Floats(1.5f, -2f, 3.25f), .. Halves(0x3FC0)]);

        using var a = checkpoint.ReadTensor("a", ScalarType.Float32, CPU);
        using var b = checkpoint.ReadTensor("b", ScalarType.Float32, CPU);
        using var bStored = checkpoint.ReadTensor("b", ScalarType.BFloat16, CPU);

        Assert.Equal([1.5f, -2f, 3.25f], a.data<float>().ToArray());
        Assert.Equal([1.5f], b.data<float>().ToArray());
        Assert.Equal([(ushort)0x3FC0], HalfBits(bStored));
    }

    [Fact]
    public void Bf16_and_f16_widen_to_f32_exactly()
    {
        using var checkpoint = Open(
            """{"bf":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]},"h":{"dtype":"F16","shape":[3],"data_offsets":[6,12]}}""",
            [.. Halves(0xC2F7, 0x0001, 0x7F80), .. Halves(0x3555, 0x0001, 0xFC00)]);

        using var bf = checkpoint.ReadTensor("bf", ScalarType.Float32, CPU);
        using var h = checkpoint.ReadTensor("h", ScalarType.Float32, CPU);

        // bf16 is the top half of an f32; the smallest f16 subnormal is 2^-24.
        Assert.Equal([-123.5f, BitConverter.Int32BitsToSingle(0x00010000), float.PositiveInfinity], bf.data<float>().ToArray());
        Assert.Equal([0.333251953125f, MathF.Pow(2, -24), float.NegativeInfinity], h.data<float>().ToArray());
    }

    [Fact]
    public void F32_narrows_to_bf16_and_f16_to_nearest_with_ties_to_even()
    {
        float Bits(int bits) => BitConverter.Int32BitsToSingle(bits);
        using var checkpoint = Open(
            """{"w":{"dtype":"F32","shape":[5],"data_offsets":[0,20]}}""",
            Floats(
                Bits(0x3F808000),   // halfway between bf16 0x3F80 and 0x3F81: to even, 0x3F80
                Bits(0x3F818000),   // halfway between 0x3F81 and 0x3F82: to even, 0x3F82
                Bits(0x3F80C000),   // above halfway: 0x3F81
                Bits(0x3F801000),   // 1 + 2^-11, halfway between f16 0x3C00 and 0x3C01: to even, 0x3C00
                Bits(0x3F803000))); // 1 + 3·2^-11, halfway between 0x3C01 and 0x3C02: to even, 0x3C02

        using var bf = checkpoint.ReadTensor("w", ScalarType.BFloat16, CPU);
        using var h = checkpoint.ReadTensor("w", ScalarType.Float16, CPU);

        Assert.Equal<ushort>([0x3F80, 0x3F82, 0x3F81], HalfBits(bf)[..3]);
        Assert.Equal<ushort>([0x3C00, 0x3C02], HalfBits(h)[3..]);
    }

    [Fact]
    public void A_wrong_expected_shape_names_the_tensor_and_both_shapes()
    {
        using var checkpoint = Open("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", new byte[24]);

        var error = Assert.Throws<WalkthroughException>(() => checkpoint.ReadTensor("w", ScalarType.Float32, CPU, [3, 2]));

        Assert.Contains("tensor 'w' is [2, 3] but the model expects [3, 2]", error.Message);
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void The_expected_shape_when_right_is_the_tensor_s_shape()
    {
        using var checkpoint = Open("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", new byte[24]);

        using var w = checkpoint.ReadTensor("w", ScalarType.Float32, CPU, [2, 3]);

        Assert.Equal([2L, 3L], w.shape);
    }

    [Fact]
    public void An_unknown_name_suggests_the_name_with_its_prefix()
    {
        using var checkpoint = Open("""{"model.norm.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);

        var error = Assert.Throws<WalkthroughException>(() => checkpoint.ReadTensor("norm.weight", ScalarType.Float32, CPU));

        Assert.Contains("has no tensor 'norm.weight' (near names: 'model.norm.weight')", error.Message);
    }

    [Fact]
    public void A_dtype_torchsharp_cannot_hold_is_listed_but_refused_when_read()
    {
        using var checkpoint = Open("""{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", new byte[4]);

        Assert.Equal("F8_E4M3", checkpoint["w"].Dtype);
        var error = Assert.Throws<WalkthroughException>(() => checkpoint.ReadTensor("w", ScalarType.Float32, CPU));
        Assert.Contains("tensor 'w' is stored as F8_E4M3, a type TorchSharp cannot hold", error.Message);
    }

    [Fact]
    public void A_file_that_shrinks_after_opening_fails_naming_the_tensor()
    {
        var path = Write(Path.Combine(folder, "model.safetensors"),
            """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[16]);
        using var checkpoint = Checkpoint.Open(path);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            file.SetLength(file.Length - 8);

        var error = Assert.Throws<WalkthroughException>(() => checkpoint.ReadTensor("w", ScalarType.Float32, CPU));

        Assert.Contains("ended while reading tensor 'w'", error.Message);
    }

    [Fact]
    public void Large_tensors_are_visited_in_slices_of_whole_elements()
    {
        using var tensor = arange(10, dtype: ScalarType.Float32);
        var seen = new List<(long Offset, int Length)>();

        SafetensorsBytes.ForEachChunk(tensor, (chunk, offset) =>
        {
            seen.Add((offset, chunk.Length));
            chunk.Fill((byte)seen.Count);
        }, chunkBytes: 14);

        Assert.Equal([(0L, 12), (12L, 12), (24L, 12), (36L, 4)], seen);  // 14 bytes hold three whole floats
        Assert.Equal([.. Enumerable.Repeat<byte>(1, 12), .. Enumerable.Repeat<byte>(2, 12), .. Enumerable.Repeat<byte>(3, 12), 4, 4, 4, 4],
            tensor.bytes.ToArray());                                             // each slice writes its own bytes
    }
}
