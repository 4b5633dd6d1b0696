namespace Walkthrough.Hardware;

/// <summary>
/// How each number of a model is stored. The first three are PyTorch dtypes; <see cref="Int8"/> and
/// <see cref="Int4"/> store only the Linear layers' weights in fewer bits (see <see cref="WeightStorage"/>) and
/// compute in float16.
/// </summary>
public enum Dtype
{
    Float32,
    BFloat16,
    Float16,
    Int8,
    Int4,
}

/// <summary>Names, sizes and parsing for <see cref="Dtype"/>.</summary>
public static class Dtypes
{
    /// <summary>Every dtype, widest first: the order a table across dtypes shows them in.</summary>
    public static IReadOnlyList<Dtype> All { get; } = [Dtype.Float32, Dtype.BFloat16, Dtype.Float16, Dtype.Int8, Dtype.Int4];

    /// <summary>The name PyTorch and Hugging Face use (float32, bfloat16, float16), or int8 / int4.</summary>
    public static string Name(this Dtype dtype) => dtype switch
    {
        Dtype.Float32 => "float32",
        Dtype.BFloat16 => "bfloat16",
        Dtype.Float16 => "float16",
        Dtype.Int8 => "int8",
        Dtype.Int4 => "int4",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>
    /// Bytes of one number the model computes with — activations and the KV cache. Weight-only int8 and int4
    /// compute in float16, so they use 2.
    /// </summary>
    public static int ComputeBytes(this Dtype dtype) => dtype == Dtype.Float32 ? 4 : 2;

    /// <summary>Whether this dtype stores Linear weights in fewer bits than it computes with.</summary>
    public static bool IsQuantized(this Dtype dtype) => dtype is Dtype.Int8 or Dtype.Int4;

    /// <summary>Reads fp32, float32, bf16, bfloat16, fp16, float16, half, int8, 8bit, int4, 4bit (any case).</summary>
    public static Dtype Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant().Replace("torch.", "") switch
        {
            "float32" or "fp32" or "f32" or "float" => Dtype.Float32,
            "bfloat16" or "bf16" => Dtype.BFloat16,
            "float16" or "fp16" or "f16" or "half" => Dtype.Float16,
            "int8" or "8bit" or "8-bit" => Dtype.Int8,
            "int4" or "4bit" or "4-bit" => Dtype.Int4,
            _ => throw new WalkthroughException(
                $"\"{text}\" is not a dtype the planner knows. Use one of: {string.Join(", ", All.Select(d => d.Name()))} (or fp32, bf16, fp16)."),
        };
    }
}
