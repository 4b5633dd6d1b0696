using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz;

/// <summary>A safetensors file taken apart byte by byte, to damage one part and put it back together.</summary>
internal sealed record SafetensorsLayout(ulong LengthPrefix, byte[] Header, byte[] Data)
{
    public static SafetensorsLayout Of(byte[] file)
    {
        var length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        return new SafetensorsLayout(length, file[8..(8 + (int)length)], file[(8 + (int)length)..]);
    }

    public JsonObject HeaderJson => (JsonObject)JsonTree.Parse(Encoding.UTF8.GetString(Header))!;

    /// <summary>Tensors in the order of their bytes: name, dtype, shape, [begin, end) within the data.</summary>
    public IReadOnlyList<(string Name, string Dtype, long[] Shape, long Begin, long End)> Tensors =>
        HeaderJson.Where(p => p.Key != "__metadata__")
            .Select(p => (p.Key, p.Value!["dtype"]!.GetValue<string>(), p.Value["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray(),
                p.Value["data_offsets"]![0]!.GetValue<long>(), p.Value["data_offsets"]![1]!.GetValue<long>()))
            .OrderBy(t => t.Item4).ToList();

    /// <summary>The file's bytes, with the length prefix that was given (which need not match the header).</summary>
    public byte[] Bytes()
    {
        var bytes = new byte[8 + Header.Length + Data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, LengthPrefix);
        Header.CopyTo(bytes, 8);
        Data.CopyTo(bytes, 8 + Header.Length);
        return bytes;
    }

    /// <summary>A layout with a new header and the length prefix that matches it, padded with spaces to 8 bytes as writers do.</summary>
    public SafetensorsLayout WithHeader(byte[] header, bool pad = true)
    {
        var padded = pad && header.Length % 8 != 0 ? [.. header, .. Enumerable.Repeat((byte)' ', 8 - header.Length % 8)] : header;
        return new SafetensorsLayout((ulong)padded.Length, padded, Data);
    }

    /// <summary>Packs some of the tensors into a file of their own, offsets renumbered from 0 (how a shard is made).</summary>
    public byte[] Subset(IReadOnlyCollection<string> names)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var (name, dtype, shape, begin, end) in Tensors.Where(t => names.Contains(t.Name)))
        {
            var at = data.Length;
            data.Write(Data, (int)begin, (int)(end - begin));
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(at, data.Length),
            };
        }
        var layout = new SafetensorsLayout(0, [], data.ToArray());
        return layout.WithHeader(Encoding.UTF8.GetBytes(header.ToJsonString(JsonTree.Compact))).Bytes();
    }
}
