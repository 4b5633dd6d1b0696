using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// One element type as a safetensors header names it ("BF16"), with its size in bytes and the TorchSharp type that
/// holds it. Every type the format defines is known, so a file is validated whole even where TorchSharp cannot hold
/// a type (unsigned 16/32/64-bit, 8-bit floats): only reading such a tensor fails.
/// </summary>
internal sealed record SafetensorsDtype(string Name, int Size, ScalarType? ScalarType)
{
    /// <summary>In the order of the safetensors package's own enumeration: its writer puts wider types first.</summary>
    private static readonly SafetensorsDtype[] All =
    [
        new("BOOL", 1, TorchSharp.torch.ScalarType.Bool),
        new("U8", 1, TorchSharp.torch.ScalarType.Byte),
        new("I8", 1, TorchSharp.torch.ScalarType.Int8),
        new("F8_E5M2", 1, null),
        new("F8_E4M3", 1, null),
        new("I16", 2, TorchSharp.torch.ScalarType.Int16),
        new("U16", 2, null),
        new("F16", 2, TorchSharp.torch.ScalarType.Float16),
        new("BF16", 2, TorchSharp.torch.ScalarType.BFloat16),
        new("I32", 4, TorchSharp.torch.ScalarType.Int32),
        new("U32", 4, null),
        new("F32", 4, TorchSharp.torch.ScalarType.Float32),
        new("F64", 8, TorchSharp.torch.ScalarType.Float64),
        new("I64", 8, TorchSharp.torch.ScalarType.Int64),
        new("U64", 8, null),
    ];

    /// <summary>Position in the format's enumeration; the writer sorts by it, widest first, as Python's does.</summary>
    public int Rank => Array.IndexOf(All, this);

    public static string KnownNames => string.Join(", ", All.Select(d => d.Name));

    public static SafetensorsDtype? Named(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The safetensors type for a TorchSharp type, or null for types the format has no name for (complex, quantized).</summary>
    public static SafetensorsDtype? For(ScalarType type) => All.FirstOrDefault(d => d.ScalarType == type);
}
