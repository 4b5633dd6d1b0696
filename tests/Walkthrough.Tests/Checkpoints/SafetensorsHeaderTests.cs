using System.Text;
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

        Assert.Contains("lie.safetensors: not valid JSON at line 1", message);
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

        Assert.Contains("\"w\" appears twice, so which value counts is unclear", message);
    }

    [Fact]
    public void Metadata_that_is_not_strings_is_refused()
    {
        var message = Lie("""{"__metadata__":{"step":1000}}""", []);

        Assert.Contains("\"__metadata__\" entry \"step\" is a number", message);
    }

    [Fact]
    public void A_gap_between_tensors_is_refused_as_the_format_forbids()
    {
        var message = Lie(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            [.. Floats(1f), 0xEE, 0xEE, 0xEE, 0xEE, .. Floats(2f)]);

        Assert.Contains("no tensor claims data bytes [4, 8), before 'b' — the format allows no gaps", message);
    }

    [Fact]
    public void Bytes_after_the_last_tensor_are_refused()
    {
        var message = Lie("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", [.. Floats(1f), 0xEE, 0xEE]);

        Assert.Contains("the tensors' data ends at byte 4 of the data, but 6 bytes follow the header — 2 bytes no tensor claims", message);
    }

    [Fact]
    public void A_length_prefix_a_few_bytes_short_is_refused_though_the_json_still_parses()
    {
        // Writers pad the header with spaces; a length 3 short still ends at "}", and every tensor would be read 3 bytes early.
        var json = Encoding.UTF8.GetBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}   """);
        var path = WriteRaw(FileNamed("shifted.safetensors"), [.. Length((ulong)json.Length - 3), .. json, .. Floats(1f, 2f)]);

        Assert.Contains("the tensors' data ends at byte 8 of the data, but 11 bytes follow the header", OpeningFails(path));
    }

    [Fact]
    public void Invalid_utf8_or_a_lone_surrogate_in_a_tensor_name_is_refused()
    {
        var invalid = WriteRaw(FileNamed("utf8.safetensors"), [.. Length(7), .. "{\""u8, 0xFF, .. "\":1}"u8]);
        Assert.Contains("utf8.safetensors: byte 2 of its JSON is not valid UTF-8", OpeningFails(invalid));

        var message = Lie("""{"w\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        Assert.Contains("holds a lone UTF-16 surrogate escape", message);
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
