using System.Text;

namespace PeerBench.Gguf;

/// <summary>
/// Writes a GGUF v3 file, ggml's single-file model format, as its specification (ggml's docs/gguf.md) lays it out:
/// a header (the magic "GGUF", version 3, the tensor count and the metadata count, both u64), the typed key-value
/// metadata, one info record per tensor (name, dimension count, dimensions innermost first, ggml type, offset from
/// the start of the data), padding to <see cref="Alignment"/>, then the tensors' bytes, each starting at a multiple
/// of the alignment. Everything is little-endian; strings are a u64 byte count and UTF-8 bytes, no terminator.
/// </summary>
internal sealed class GgufWriter
{
    /// <summary>The default alignment (no general.alignment key is written).</summary>
    public const int Alignment = 32;

    public const uint Version = 3;

    /// <summary>"GGUF" read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    private readonly List<(string Key, GgufValueType Type, Action<BinaryWriter> Value)> _metadata = [];
    private readonly List<GgufTensor> _tensors = [];

    public IReadOnlyList<GgufTensor> Tensors => _tensors;

    public void Add(string key, uint value) => _metadata.Add((key, GgufValueType.UInt32, w => w.Write(value)));

    public void Add(string key, int value) => _metadata.Add((key, GgufValueType.Int32, w => w.Write(value)));

    public void Add(string key, float value) => _metadata.Add((key, GgufValueType.Float32, w => w.Write(value)));

    public void Add(string key, bool value) => _metadata.Add((key, GgufValueType.Bool, w => w.Write((byte)(value ? 1 : 0))));

    public void Add(string key, string value) => _metadata.Add((key, GgufValueType.String, w => WriteString(w, value)));

    public void Add(string key, IReadOnlyList<string> values) =>
        _metadata.Add((key, GgufValueType.Array, w => WriteArray(w, GgufValueType.String, values, (x, v) => WriteString(x, v))));

    public void Add(string key, IReadOnlyList<float> values) =>
        _metadata.Add((key, GgufValueType.Array, w => WriteArray(w, GgufValueType.Float32, values, (x, v) => x.Write(v))));

    public void Add(string key, IReadOnlyList<int> values) =>
        _metadata.Add((key, GgufValueType.Array, w => WriteArray(w, GgufValueType.Int32, values, (x, v) => x.Write(v))));

    /// <summary>
    /// A tensor of the given shape in PyTorch's order (outermost first; the file stores it reversed, as ggml counts
    /// dimensions) whose bytes <paramref name="write"/> puts on the stream when the file is written.
    /// </summary>
    public void AddTensor(string name, IReadOnlyList<long> shape, GgmlType type, Action<Stream> write)
    {
        var offset = _tensors.Count == 0 ? 0 : Align(_tensors[^1].Offset + _tensors[^1].Bytes);
        _tensors.Add(new GgufTensor(name, shape, type, offset, shape.Aggregate(1L, (a, b) => a * b) * type.ElementSize(), write));
    }

    public void Write(string path)
    {
        var partial = path + ".partial";
        try
        {
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write((ulong)_tensors.Count);
                writer.Write((ulong)_metadata.Count);
                foreach (var (key, type, value) in _metadata)
                {
                    WriteString(writer, key);
                    writer.Write((uint)type);
                    value(writer);
                }
                foreach (var tensor in _tensors)
                {
                    WriteString(writer, tensor.Name);
                    writer.Write((uint)tensor.Shape.Count);
                    for (var i = tensor.Shape.Count - 1; i >= 0; i--) writer.Write((ulong)tensor.Shape[i]);
                    writer.Write((uint)tensor.Type);
                    writer.Write((ulong)tensor.Offset);
                }
                writer.Flush();
                Pad(file);
                var start = file.Position;
                foreach (var tensor in _tensors)
                {
                    Pad(file);
                    if (file.Position - start != tensor.Offset) throw new InvalidOperationException($"{tensor.Name}: data at {file.Position - start}, info says {tensor.Offset}.");
                    tensor.Write(file);
                    if (file.Position - start != tensor.Offset + tensor.Bytes)
                        throw new InvalidOperationException($"{tensor.Name}: wrote {file.Position - start - tensor.Offset} bytes, expected {tensor.Bytes}.");
                }
            }
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static void Pad(Stream file)
    {
        var padding = Align(file.Position) - file.Position;
        for (var i = 0; i < padding; i++) file.WriteByte(0);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteArray<T>(BinaryWriter writer, GgufValueType type, IReadOnlyList<T> values, Action<BinaryWriter, T> write)
    {
        writer.Write((uint)type);
        writer.Write((ulong)values.Count);
        foreach (var value in values) write(writer, value);
    }
}

/// <summary>One tensor's info record; <see cref="Offset"/> counts from the start of the data section.</summary>
internal sealed record GgufTensor(string Name, IReadOnlyList<long> Shape, GgmlType Type, long Offset, long Bytes, Action<Stream> Write);

/// <summary>The metadata value types, numbered as the specification numbers them.</summary>
internal enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>The tensor types this writer uses, with ggml's numbers.</summary>
internal enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    BF16 = 30,
}

internal static class GgmlTypes
{
    public static int ElementSize(this GgmlType type) => type == GgmlType.F32 ? 4 : 2;
}
