namespace Walkthrough.Hardware;

/// <summary>
/// Bytes a model's weights take in each dtype. float32 is 4 bytes a number, bfloat16 and float16 2. The two
/// quantized formats shrink only the Linear layers' weights — the bulk of every model — and keep embeddings, norms
/// and biases in 16 bits, because those are small and sensitive to rounding:
/// <list type="bullet">
/// <item>int8 — per-output-channel, weight-only: each output row of a Linear weight is int8 values plus one
/// 16-bit scale, W[o, :] ≈ scale[o] · q[o, :]. This is exactly the kit's Int8Linear (and close to bitsandbytes'
/// load_in_8bit, which keeps a 32-bit scale per row). An untied output head counts as a Linear layer.</item>
/// <item>int4 — the same idea with two 4-bit values per byte and one 16-bit scale for every group of
/// <see cref="Int4GroupSize"/> input columns of a row (symmetric, no zero point; GPTQ and AWQ also use groups of
/// 128 and add a 4-bit zero point per group).</item>
/// </list>
/// GPT-2's Conv1D layers count as Linear layers here; the kit's own GPT-2 keeps them in full precision.
/// </summary>
public static class WeightStorage
{
    /// <summary>Input columns that share one int4 scale.</summary>
    public const int Int4GroupSize = 128;

    /// <summary>Bytes of one quantization scale (float16).</summary>
    public const int ScaleBytes = 2;

    /// <summary>Bytes of all the model's weights at <paramref name="dtype"/>.</summary>
    public static long Bytes(ParameterCount count, Dtype dtype) => count.Groups.Sum(g => Bytes(g, dtype));

    /// <summary>Bytes of one group of tensors at <paramref name="dtype"/>.</summary>
    public static long Bytes(ParameterGroup group, Dtype dtype)
    {
        if (!dtype.IsQuantized() || group.Role != TensorRole.LinearWeight)
            return group.Count * (dtype == Dtype.Float32 ? 4 : 2);
        return dtype == Dtype.Int8
            ? group.Copies * (group.Rows * group.Columns + group.Rows * ScaleBytes)
            : group.Copies * ((group.Rows * group.Columns + 1) / 2 + group.Rows * CeilDiv(group.Columns, Int4GroupSize) * ScaleBytes);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
