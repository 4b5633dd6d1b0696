using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// Writes tensors as a <c>.safetensors</c> file laid out the way Python's <c>safetensors</c> package lays it out, so
/// the same tensors give the same bytes: wider dtypes first and names in order within a dtype, data packed with no
/// gaps, "__metadata__" first in a compact JSON header padded with spaces to a multiple of 8 bytes (so every tensor
/// starts 8-byte aligned in the file).
/// <code>SafetensorsWriter.Write("model.safetensors", module.state_dict().Select(p => (p.Key, p.Value)));</code>
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, any layout; each is written as its contiguous CPU bytes in its
    /// own dtype) to <paramref name="path"/>, replacing it only once the whole file is written.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = Describe(path, tensors);
        var header = Header(entries, metadata);

        var partial = path + ".partial";
        try
        {
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                file.Write(length);
                file.Write(header);
                foreach (var (_, tensor, _) in entries)
                {
                    using var detached = tensor.detach();
                    using var cpu = detached.cpu();
                    using var bytes = cpu.contiguous();
                    SafetensorsBytes.ForEachChunk(bytes, (chunk, _) => file.Write(chunk));
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

    /// <summary>The tensors with their safetensors dtypes, in the order of the file.</summary>
    private static List<(string Name, Tensor Tensor, SafetensorsDtype Dtype)> Describe(string path, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var entries = new List<(string Name, Tensor Tensor, SafetensorsDtype Dtype)>();
        var names = new HashSet<string>();
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__" || !names.Add(name))
                throw new WalkthroughException($"{path}: cannot write two tensors named '{name}' (nor one named __metadata__): rename one.");
            var dtype = SafetensorsDtype.For(tensor.dtype) ?? throw new WalkthroughException(
                $"{path}: tensor '{name}' is {tensor.dtype}, which safetensors cannot store: convert it (to float32, say) first.");
            entries.Add((name, tensor, dtype));
        }
        entries.Sort((a, b) => a.Dtype.Rank != b.Dtype.Rank ? b.Dtype.Rank.CompareTo(a.Dtype.Rank) : string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    private static byte[] Header(List<(string Name, Tensor Tensor, SafetensorsDtype Dtype)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        // Relaxed escaping writes names as they are, as Python's serde_json does, instead of \u-escaping them.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(item => item.Key, StringComparer.Ordinal))
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            var offset = 0L;
            foreach (var (name, tensor, dtype) in entries)
            {
                var bytes = tensor.NumberOfElements * dtype.Size;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtype.Name);
                writer.WriteStartArray("shape");
                foreach (var size in tensor.shape)
                    writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }
        var padding = (8 - json.Length % 8) % 8;
        json.Write(Encoding.ASCII.GetBytes(new string(' ', (int)padding)));
        return json.ToArray();
    }
}
