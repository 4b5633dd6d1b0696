using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// model.safetensors taken apart: the 8-byte length prefix (off by a few bytes either way — the JSON may still
/// parse thanks to its space padding — or absurd), the JSON header (every mutation of <see cref="JsonMutator"/>,
/// with a prefix that matches), the file cut at every structural point, bytes added at the end or between header
/// and data, a gap between tensors, NaN and ±∞ written into a weight, other dtypes, random flipped bits in the data.
/// </summary>
internal sealed class SafetensorsCases(BaseModel model, string file = "model.safetensors", byte[]? bytes = null) : CaseSource
{
    private static readonly HeaderRules Rules = new();

    private readonly Lazy<(SafetensorsLayout Layout, JsonNode? Header, JsonMutator Mutator)> _parts = new(() =>
    {
        var layout = SafetensorsLayout.Of(bytes ?? model.Weights);
        var header = JsonTree.Parse(Encoding.UTF8.GetString(layout.Header).TrimEnd());
        return (layout, header, new JsonMutator(Encoding.UTF8.GetBytes(header!.ToJsonString(JsonTree.Compact)), Rules.Maps, indented: false));
    });

    public override Family Family => Family.Safetensors;

    public override FuzzCase Make(int index, Random random)
    {
        var (layout, header, mutator) = _parts.Value;
        var tensors = layout.Tensors;
        var (description, judgement, result) = (index % 11) switch
        {
            0 or 1 or 2 => HeaderMutation(mutator.Make(index / 11, random), layout, header),
            3 => LengthPrefix(layout, random),
            4 => Truncated(layout, tensors, random),
            5 => Extended(layout, random),
            6 => NonFinite(layout, tensors, random),
            7 => Dtype(layout, header, tensors, random),
            8 => Gap(layout, header, tensors),
            9 => FlippedData(layout, random),
            _ => Padding(layout, header, random),
        };
        return new FuzzCase(description, judgement, [file], folder => File.WriteAllBytes(Path.Combine(folder, file), result));
    }

    private static (string, Judgement, byte[]) HeaderMutation(Mutation mutation, SafetensorsLayout layout, JsonNode? header) =>
        ($"header: {mutation.Description}", mutation.Judgement ?? Rules.Judge(mutation.Bytes, header), layout.WithHeader(mutation.Bytes).Bytes());

    private static (string, Judgement, byte[]) LengthPrefix(SafetensorsLayout layout, Random random)
    {
        var n = layout.LengthPrefix;
        var total = (ulong)(8 + layout.Header.Length + layout.Data.Length);
        ulong[] values = [n - 1, n - 3, n - 7, n - 8, n - 16, n + 1, n + 3, n + 8, n + 64, 0, 1, 2, 7, 8, (1UL << 32) + n, 1UL << 63, ulong.MaxValue,
            100_000_001, total, total - 8, n - (ulong)random.Next(1, (int)n)];
        var value = values[random.Next(values.Length)];
        return ($"length prefix {value:N0} instead of {n:N0}", Judgement.Refuse("the length prefix is not the header's length"), (layout with { LengthPrefix = value }).Bytes());
    }

    private static (string, Judgement, byte[]) Truncated(SafetensorsLayout layout, IReadOnlyList<(string Name, string Dtype, long[] Shape, long Begin, long End)> tensors, Random random)
    {
        var bytes = layout.Bytes();
        var dataStart = 8 + layout.Header.Length;
        var tensor = tensors[random.Next(tensors.Count)];
        long[] points = [0, 1, 7, 8, 9, dataStart / 2, dataStart - 1, dataStart, dataStart + tensor.Begin, dataStart + tensor.Begin + (tensor.End - tensor.Begin) / 2,
            dataStart + tensor.End - 1, bytes.Length - 1];
        var at = (int)points[random.Next(points.Length)];
        return ($"cut after {at:N0} of {bytes.Length:N0} bytes", Judgement.Refuse("the file is cut short"), bytes[..at]);
    }

    private static (string, Judgement, byte[]) Extended(SafetensorsLayout layout, Random random)
    {
        var extra = new byte[new[] { 1, 8, 1000 }[random.Next(3)]];
        random.NextBytes(extra);
        return random.Next(2) == 0
            ? ($"{extra.Length} bytes after the last tensor", Judgement.Refuse("the data runs past the last tensor"), [.. layout.Bytes(), .. extra])
            : ($"{extra.Length} bytes between the header and the data", Judgement.Refuse("the data starts after the header's end"), (layout with { Data = [.. extra, .. layout.Data] }).Bytes());
    }

    // NaN, +∞ or −∞ in one element of one tensor, in the tensor's own 16- or 32-bit float format.
    private static (string, Judgement, byte[]) NonFinite(SafetensorsLayout layout, IReadOnlyList<(string Name, string Dtype, long[] Shape, long Begin, long End)> tensors, Random random)
    {
        var tensor = tensors[random.Next(tensors.Count)];
        var (what, bits) = new[] { ("NaN", 0x7FC0), ("+∞", 0x7F80), ("−∞", 0xFF80), ("the largest finite bfloat16", 0x7F7F) }[random.Next(4)];
        var data = layout.Data.ToArray();
        var width = tensor.Dtype == "F32" ? 4 : 2;
        var element = random.NextInt64((tensor.End - tensor.Begin) / width);
        var at = (int)(tensor.Begin + element * width);
        if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), (uint)bits << 16);
        else BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), (ushort)(tensor.Dtype == "F16" ? Half(bits) : bits));
        var judgement = bits == 0x7F7F ? Judgement.Finite("a huge but finite weight") : Judgement.Refuse($"{tensor.Name} holds {what}", tensor.Name);
        return ($"{what} at element {element:N0} of {tensor.Name}", judgement, (layout with { Data = data }).Bytes());
    }

    private static int Half(int bfloat16) => bfloat16 switch { 0x7FC0 => 0x7E00, 0x7F80 => 0x7C00, 0xFF80 => 0xFC00, _ => 0x7BFF };

    private static (string, Judgement, byte[]) Dtype(SafetensorsLayout layout, JsonNode? header, IReadOnlyList<(string Name, string Dtype, long[] Shape, long Begin, long End)> tensors, Random random)
    {
        var tensor = tensors[random.Next(tensors.Count)];
        var dtype = new[] { "F16", "I16", "U16", "F32", "F8_E4M3", "BOOL", "bf16", "BF32" }[random.Next(8)];
        var changed = JsonTree.With(header, JsonPath.Root.Member(tensor.Name, Rules.Maps).Member("dtype", new HashSet<string>()), new Slot(true, JsonValue.Create(dtype)));
        var json = Encoding.UTF8.GetBytes(changed!.ToJsonString(JsonTree.Compact));
        var judgement = dtype == "F16" && tensor.Dtype == "BF16" ? Judgement.Finite("bfloat16 bytes read as float16")
            : Judgement.Refuse($"{tensor.Name} is not stored as a float dtype of its size", tensor.Name, dtype);
        return ($"dtype of {tensor.Name} {tensor.Dtype} → {dtype}", judgement, layout.WithHeader(json).Bytes());
    }

    // The last tensor moved 8 bytes on, leaving bytes no tensor claims: the offsets no longer tile the data.
    private static (string, Judgement, byte[]) Gap(SafetensorsLayout layout, JsonNode? header, IReadOnlyList<(string Name, string Dtype, long[] Shape, long Begin, long End)> tensors)
    {
        var last = tensors[^1];
        var offsets = JsonPath.Root.Member(last.Name, Rules.Maps).Member("data_offsets", new HashSet<string>());
        var changed = JsonTree.With(header, offsets, new Slot(true, new JsonArray(last.Begin + 8, last.End + 8)));
        var data = layout.Data[..(int)last.Begin].Concat(new byte[8]).Concat(layout.Data[(int)last.Begin..]).ToArray();
        var json = Encoding.UTF8.GetBytes(changed!.ToJsonString(JsonTree.Compact));
        return ($"8 unclaimed bytes before {last.Name}", Judgement.Refuse("the tensors' offsets leave a gap", last.Name), (layout.WithHeader(json) with { Data = data }).Bytes());
    }

    private static (string, Judgement, byte[]) FlippedData(SafetensorsLayout layout, Random random)
    {
        var data = layout.Data.ToArray();
        var at = random.Next(data.Length);
        var bit = random.Next(8);
        data[at] ^= (byte)(1 << bit);
        return ($"bit {bit} of data byte {at:N0} flipped", Judgement.Finite("one weight changed (NaN or ∞ must be refused)"), (layout with { Data = data }).Bytes());
    }

    private static (string, Judgement, byte[]) Padding(SafetensorsLayout layout, JsonNode? header, Random random)
    {
        var json = header!.ToJsonString(JsonTree.Compact);
        var reordered = new JsonObject(((JsonObject)header).Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var withoutMetadata = (JsonObject)header.DeepClone();
        withoutMetadata.Remove("__metadata__");
        var choices = new (string, Judgement, byte[])[]
        {
            ("header padded with newlines and tabs", Judgement.Harmless, layout.WithHeader(Encoding.UTF8.GetBytes(json + "\n\t\n\t\n\t\n\t"), pad: false).Bytes()),
            ("header not padded to 8 bytes", Judgement.Harmless, layout.WithHeader(Encoding.UTF8.GetBytes(json + " "), pad: false).Bytes()),
            ("header padded with NUL bytes", Judgement.Refuse("the header holds NUL bytes"), layout.WithHeader([.. Encoding.UTF8.GetBytes(json), 0, 0, 0, 0, 0, 0, 0, 0], pad: false).Bytes()),
            ("tensors listed in reverse order", Judgement.Harmless, layout.WithHeader(Encoding.UTF8.GetBytes(reordered.ToJsonString(JsonTree.Compact))).Bytes()),
            ("no __metadata__", Judgement.Harmless, layout.WithHeader(Encoding.UTF8.GetBytes(withoutMetadata.ToJsonString(JsonTree.Compact))).Bytes()),
            ("header indented", Judgement.Harmless, layout.WithHeader(Encoding.UTF8.GetBytes(header.ToJsonString(JsonTree.Indented))).Bytes()),
        };
        return choices[random.Next(choices.Length)];
    }
}
