using System.Buffers.Binary;
using System.Text.Json;
using Walkthrough.Json;

namespace Walkthrough.Checkpoints;

/// <summary>
/// The front of a <c>.safetensors</c> file: 8 bytes giving the length N of a JSON header, N bytes of JSON naming each
/// tensor's dtype, shape and byte range (<c>data_offsets</c>, counted from the end of the header), then the data.
/// <see cref="Read"/> checks every claim the header makes against the file before any tensor is read, so a damaged or
/// truncated download fails here, naming the file and the tensor, instead of as garbage weights later. As the
/// safetensors library does, it refuses what the format forbids: a header that is not UTF-8 JSON, a key twice, and
/// offsets that do not tile the data exactly — a gap, or bytes after the last tensor, mean the length prefix or the
/// header is wrong (a prefix a few bytes short still parses, thanks to the header's space padding, and would shift
/// every tensor).
/// <code>var header = SafetensorsHeader.Read("models/tiny/model.safetensors");</code>
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The safetensors package refuses longer headers too; a real one is at most a few megabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string Truncated = "the file is truncated — download it again";
    private const string Damaged = "the header is damaged — download the file again, or export the checkpoint again if you wrote it";

    private SafetensorsHeader(string file, long headerBytes, long dataBytes, IReadOnlyList<CheckpointTensor> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        File = file;
        HeaderBytes = headerBytes;
        DataBytes = dataBytes;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string File { get; }

    /// <summary>N: the length of the JSON header, padding included.</summary>
    public long HeaderBytes { get; }

    /// <summary>Where the data begins in the file: after the 8-byte length and the header.</summary>
    public long DataStart => 8 + HeaderBytes;

    /// <summary>The bytes after the header.</summary>
    public long DataBytes { get; }

    /// <summary>The tensors in the order their bytes lie in the file.</summary>
    public IReadOnlyList<CheckpointTensor> Tensors { get; }

    /// <summary>The free-form "__metadata__" strings (often just format: pt).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and checks the header of <paramref name="path"/>; reads none of the tensor data.</summary>
    public static SafetensorsHeader Read(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new WalkthroughException($"{path} not found: check the path, or download the checkpoint into that folder.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var fileBytes = stream.Length;
        if (fileBytes < 8)
            throw new WalkthroughException(
                $"{path} is {fileBytes} bytes long, shorter than the 8-byte header length every safetensors file starts with: {Truncated}.");

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerBytes > MaxHeaderBytes)
            throw new WalkthroughException(
                $"{path} says its JSON header is {headerBytes:N0} bytes, more than the {MaxHeaderBytes:N0} any safetensors file needs: " +
                "this is not a safetensors file or its first 8 bytes are damaged — download it again.");
        if (8 + (long)headerBytes > fileBytes)
            throw new WalkthroughException(
                $"{path} says its JSON header is {headerBytes:N0} bytes but only {fileBytes - 8:N0} bytes follow the length: {Truncated}.");

        var json = new byte[headerBytes];
        stream.ReadExactly(json);
        var dataBytes = fileBytes - 8 - (long)headerBytes;
        return Parse(path, json, (long)headerBytes, dataBytes);
    }

    private static SafetensorsHeader Parse(string path, byte[] json, long headerBytes, long dataBytes)
    {
        using var document = StrictJson.Parse(path, json, Damaged, maxDepth: 16);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new WalkthroughException($"{path}: the JSON header is {Kind(root)}, not an object naming tensors: {Damaged}.");

        var metadata = new Dictionary<string, string>();
        var entries = new List<(CheckpointTensor Tensor, long Begin, long End)>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "__metadata__")
                ReadMetadata(path, property.Value, metadata);
            else
                entries.Add(ReadEntry(path, property.Name, property.Value, headerBytes, dataBytes));
        }

        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        RequireExactTiling(path, entries, dataBytes);
        return new SafetensorsHeader(path, headerBytes, dataBytes, entries.Select(e => e.Tensor).ToArray(), metadata);
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new WalkthroughException($"{path}: \"__metadata__\" is {Kind(value)}, but the format wants an object of strings: {Damaged}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new WalkthroughException(
                    $"{path}: \"__metadata__\" entry \"{item.Name}\" is {Kind(item.Value)}, but the format allows only strings: {Damaged}.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static (CheckpointTensor Tensor, long Begin, long End) ReadEntry(
        string path, string name, JsonElement entry, long headerBytes, long dataBytes)
    {
        var where = $"{path}: tensor '{name}'";
        if (entry.ValueKind != JsonValueKind.Object)
            throw new WalkthroughException($"{where} is described by {Kind(entry)}, not an object with dtype, shape and data_offsets: {Damaged}.");

        if (!entry.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw new WalkthroughException($"{where} has no \"dtype\" string: {Damaged}.");
        var dtypeName = dtypeValue.GetString()!;
        var dtype = SafetensorsDtype.Named(dtypeName) ?? throw new WalkthroughException(
            $"{where} has dtype \"{dtypeName}\", which safetensors does not define (it defines {SafetensorsDtype.KnownNames}): " +
            "the file is damaged or was written by a newer tool — download it again, or export it with a standard dtype.");

        var shape = Integers(entry, "shape") ?? throw new WalkthroughException(
            $"{where} has no \"shape\" list of whole numbers ≥ 0: {Damaged}.");
        var offsets = Integers(entry, "data_offsets");
        if (offsets is not { Length: 2 })
            throw new WalkthroughException($"{where} has no \"data_offsets\" pair [begin, end] of whole numbers ≥ 0: {Damaged}.");
        var (begin, end) = (offsets[0], offsets[1]);

        if (end < begin)
            throw new WalkthroughException($"{where} has data_offsets [{begin}, {end}]: it ends before it begins — {Damaged}.");
        if (end > dataBytes)
            throw new WalkthroughException(
                $"{where} has data_offsets [{begin}, {end}], but the file holds only {dataBytes:N0} bytes of data: {Truncated}.");
        var expected = ByteCount(shape, dtype.Size);
        if (expected != end - begin)
        {
            var needs = expected is { } bytes ? $"{bytes:N0} bytes" : "more bytes than a file can hold";
            throw new WalkthroughException(
                $"{where} is {dtypeName} {CheckpointTensor.FormatShape(shape)}, which needs {needs} ({dtype.Size} per element), " +
                $"but its data_offsets [{begin}, {end}] span {end - begin:N0}: {Damaged}.");
        }

        var tensor = new CheckpointTensor(name, dtypeName, shape, path, 8 + headerBytes + begin, end - begin);
        return (tensor, begin, end);
    }

    // Each tensor's bytes begin where the previous one's end, and the last one's end where the file does.
    private static void RequireExactTiling(string path, List<(CheckpointTensor Tensor, long Begin, long End)> byBegin, long dataBytes)
    {
        var covered = 0L;            // data bytes [0, covered) are claimed
        string? lastName = null;     // the tensor that reaches furthest so far
        var lastBegin = 0L;
        foreach (var (tensor, begin, end) in byBegin)
        {
            if (begin == end)
                continue;            // an empty tensor claims no bytes and overlaps nothing
            if (begin < covered)
                throw new WalkthroughException(
                    $"{path}: tensors '{lastName}' (data_offsets [{lastBegin}, {covered}]) and '{tensor.Name}' " +
                    $"(data_offsets [{begin}, {end}]) share bytes: {Damaged}.");
            if (begin > covered)
                throw new WalkthroughException(
                    $"{path}: no tensor claims data bytes [{covered}, {begin}), before '{tensor.Name}' — the format allows no gaps, so the " +
                    $"offsets or the length prefix are wrong: {Damaged}.");
            (covered, lastName, lastBegin) = (end, tensor.Name, begin);
        }
        if (covered != dataBytes)
            throw new WalkthroughException(
                $"{path}: the tensors' data ends at byte {covered:N0} of the data, but {dataBytes:N0} bytes follow the header — " +
                $"{dataBytes - covered:N0} bytes no tensor claims, so the length prefix or the header is wrong: {Damaged}.");
    }

    private static long[]? Integers(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var values = new long[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
                return null;
            values[i++] = value;
        }
        return values;
    }

    /// <summary>Elements × element size, or null where a lying shape would overflow a long.</summary>
    private static long? ByteCount(IEnumerable<long> shape, int elementSize)
    {
        try
        {
            return checked(shape.Aggregate(1L, (product, size) => product * size) * elementSize);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
