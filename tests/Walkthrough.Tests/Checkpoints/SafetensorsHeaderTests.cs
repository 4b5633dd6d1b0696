using Walkthrough.Checkpoints;
using Walkthrough.Native;
using static Walkthrough.Tests.Checkpoints.SafetensorsTestFiles;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>Every lie a header can tell is caught when the file is opened, with the file, the tensor and a fix named.</summary>
public sealed class SafetensorsHeaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("walkthrough-st-").FullName;

    public SafetensorsHeaderTests() => TorchRuntime.Ensure();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FileNamed(string name) => Path.Combine(folder, name);

    private string Lie(string header, byte[] data) => OpeningFails(Write(FileNamed("lie.safetensors"), header, data));

    [Fact]
    public void A_hand_made_header_is_read_as_written()
    {
        var path = Write(FileNamed("known.safetensors"),
            """{"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[1],"data_offsets":[12,14]},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""",
            [.. Floats(1.5f, -2f, 3.25f), .. Halves(0x3FC0)]);

        var header = SafetensorsHeader.Read(path);

        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, header.Metadata);
        Assert.Equal(["a", "b"], header.Tensors.Select(t => t.Name));                 // in file order, not header order
        Assert.Equal(["F32", "BF16"], header.Tensors.Select(t => t.Dtype));
        Assert.Equal([3L], header.Tensors[0].Shape);
        Assert.Equal([header.DataStart, header.DataStart + 12], header.Tensors.Select(t => t.Offset));
        Assert.Equal([12L, 2L], header.Tensors.Select(t => t.Bytes));
        Assert.Equal(14, header.DataBytes);
        Assert.Empty(header.Gaps);
    }

    [Fact]
    public void A_file_shorter_than_the_length_field_is_called_truncated()
    {
        var message = OpeningFails(WriteRaw(FileNamed("short.safetensors"), [1, 2, 3, 4, 5]));

        Assert.Contains("short.safetensors is 5 bytes long", message);
        Assert.Contains("truncated — download it again", message);
    }

    [Fact]
    public void A_header_length_over_100_MB_is_refused_before_anything_is_read()
    {
        var message = OpeningFails(WriteRaw(FileNamed("huge.safetensors"), [.. Length(200_000_000), .. "{}"u8]));

        Assert.Contains("huge.safetensors", message);
        Assert.Contains("not a safetensors file", message);
    }

    [Fact]
    public void A_header_longer_than_the_file_is_called_truncated()
    {
        var message = OpeningFails(WriteRaw(FileNamed("cut.safetensors"), [.. Length(100), .. "{\"a\":"u8]));

        Assert.Contains("cut.safetensors says its JSON header is 100 bytes but only 5 bytes follow", message);
        Assert.Contains("truncated", message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_the_parser_s_reason()
    {
        var message = Lie("""{"a": {"dtype": "F32",""", []);

        Assert.Contains("lie.safetensors: the JSON header is not valid JSON", message);
        Assert.Contains("download the file again", message);
    }

    [Fact]
    public void An_unknown_dtype_names_the_tensor_and_the_known_dtypes()
    {
        var message = Lie("""{"w":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);

        Assert.Contains("tensor 'w' has dtype \"F12\", which safetensors does not define", message);
        Assert.Contains("BF16", message);
    }

    [Fact]
    public void Offsets_beyond_the_data_mean_the_file_is_truncated()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]);

        Assert.Contains("tensor 'w' has data_offsets [0, 16], but the file holds only 8 bytes of data", message);
        Assert.Contains("truncated — download it again", message);
    }

    [Fact]
    public void A_tensor_that_ends_before_it_begins_is_refused()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""", new byte[8]);

        Assert.Contains("tensor 'w' has data_offsets [8, 4]: it ends before it begins", message);
    }

    [Fact]
    public void A_byte_range_that_does_not_fit_shape_and_dtype_is_refused()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]);

        Assert.Contains("tensor 'w' is F32 [3], which needs 12 bytes (4 per element), but its data_offsets [0, 8] span 8", message);
    }

    [Fact]
    public void A_shape_too_big_to_count_is_refused_not_overflowed()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", []);

        Assert.Contains("tensor 'w' is F32 [4611686018427387904, 4], which needs more bytes than a file can hold", message);
    }

    [Fact]
    public void Overlapping_tensors_are_both_named()
    {
        var message = Lie(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            new byte[12]);

        Assert.Contains("tensors 'a' (data_offsets [0, 8]) and 'b' (data_offsets [4, 12]) share bytes", message);
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[1]}}""", new byte[4]);

        Assert.Contains("tensor 'w' has no \"data_offsets\" pair", message);
    }

    [Fact]
    public void A_negative_dimension_is_refused()
    {
        var message = Lie("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4]);

        Assert.Contains("tensor 'w' has no \"shape\" list of whole numbers ≥ 0", message);
    }

    [Fact]
    public void A_tensor_listed_twice_is_refused()
    {
        var message = Lie(
            """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            new byte[8]);

        Assert.Contains("\"w\" appears twice in the header", message);
    }

    [Fact]
    public void Metadata_that_is_not_strings_is_refused()
    {
        var message = Lie("""{"__metadata__":{"step":1000}}""", []);

        Assert.Contains("\"__metadata__\" entry \"step\" is a number", message);
    }

    [Fact]
    public void Gaps_between_and_after_tensors_are_allowed_and_listed()
    {
        var path = Write(FileNamed("gaps.safetensors"),
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            [.. Floats(1f), 0xEE, 0xEE, 0xEE, 0xEE, .. Floats(2f), 0xEE, 0xEE]);

        var header = SafetensorsHeader.Read(path);

        Assert.Equal([(header.DataStart + 4, 4L), (header.DataStart + 12, 2L)], header.Gaps);
    }

    [Fact]
    public void An_empty_tensor_inside_another_s_bytes_is_not_an_overlap()
    {
        var path = Write(FileNamed("empty.safetensors"),
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"none":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""",
            new byte[8]);

        Assert.Equal(2, SafetensorsHeader.Read(path).Tensors.Count);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var message = OpeningFails(FileNamed("absent.safetensors"));

        Assert.Contains("absent.safetensors not found", message);
    }
}
