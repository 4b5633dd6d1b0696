using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// A decode step's small operations on its one token — RMSNorm, the rotary embedding, SwiGLU, writing its keys and
/// values into the cache — computed on the numbers where they lie (CPU, float32 or bfloat16, batch 1) instead of as
/// libtorch operations. Between the weight products a step runs some 200 operations on rows of 32 to 512 numbers; inside a
/// step, with the caches just flushed by the weights, each costs 5–20 µs of dispatch, allocation and set-up for well
/// under a microsecond of arithmetic. Measured on the bundled model at 1 thread (a 2.3 ms step, 1 ms of it the output
/// head): the norms 0.23 → 0.05 ms, rotary 0.11 → 0.05, the cache writes 0.09 → 0.05, SwiGLU (with gate and up as one
/// product) 0.42 → 0.38. Each computes what its module's tensor formula computes, in another order of summation
/// (tests compare both with the formula worked out by hand); every other case — several tokens, a batch, a GPU,
/// float16 or float64 — takes that formula. One query's attention over the cache is here too (libtorch's SDPA sets up a
/// flash-attention kernel for it): on the bundled model's shape, 160 cached positions, 80 → 27 µs a layer with the
/// data in cache, 45–50 → 35–42 µs inside decode steps (2-core AMD EPYC VM, 2026-12-03).
/// A bfloat16 token's numbers are widened to float32, computed as above, and each of the tensor formula's results
/// rounded back to bfloat16 where libtorch rounds it, so both paths agree to a bfloat16 rounding. Without this every
/// bfloat16 decode step took libtorch's path, and the bundled model's bfloat16 decode was no faster than its float32
/// one although its products read half the bytes (412 vs 406 tokens per CPU-second; with it 618–776, 0.73–0.93×
/// llama.cpp's bfloat16 decode where it had been 0.39–0.47×: Zen 5 VM, 2026-12-04).
/// </summary>
internal static class OneToken
{
    /// <summary>Whether x is one token's contiguous float32 or bfloat16 row on the CPU, e.g. (1, 1, hidden).</summary>
    public static bool Applies(Tensor x) => x.NumberOfElements == x.size(-1) && IsCpuRow(x);

    /// <summary>x / sqrt(mean(x²) + ε) · weight.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor weight, float epsilon)
    {
        var y = empty_like(x);
        var xs = Numbers(x);
        var ys = Results(y);
        var scale = 1 / MathF.Sqrt(TensorPrimitives.SumOfSquares(xs) / xs.Length + epsilon);
        TensorPrimitives.Multiply(xs, scale, ys);
        if (Bfloat16(x)) RoundEach(ys); // the tensor formula's normalized.to(bfloat16)
        TensorPrimitives.Multiply(ys, Numbers(weight), ys);
        return Stored(ys, y);
    }

    /// <summary>Whether x (1, heads, 1, d) is one token's heads, contiguous float32 or bfloat16 on the CPU.</summary>
    public static bool AppliesToHeads(Tensor x) => x.dim() == 4 && x.size(0) == 1 && x.size(2) == 1 && IsCpuRow(x);

    /// <summary>x·cos + roll(x, d/2)·signedSin for each head of x (1, heads, 1, d); cos and sin (1, d).</summary>
    public static Tensor Rotary(Tensor x, Tensor cos, Tensor signedSin)
    {
        var y = empty_like(x);
        if (Bfloat16(x)) return RotaryRounded(x, cos, signedSin, y);
        Span<float> xs = Floats(x), ys = Floats(y), c = Floats(cos), s = Floats(signedSin);
        var d = c.Length;
        var half = d / 2;
        for (var head = 0; head < xs.Length; head += d)
        {
            Span<float> x1 = xs.Slice(head, half), x2 = xs.Slice(head + half, half);
            Span<float> y1 = ys.Slice(head, half), y2 = ys.Slice(head + half, half);
            TensorPrimitives.Multiply(x2, s[..half], y1);          // first half: x₁·cos₁ + x₂·(−sin₁)
            TensorPrimitives.MultiplyAdd(x1, c[..half], y1, y1);
            TensorPrimitives.Multiply(x1, s[half..], y2);          // second half: x₂·cos₂ + x₁·sin₂
            TensorPrimitives.MultiplyAdd(x2, c[half..], y2, y2);
        }
        return y;
    }

    // The tensor formula in bfloat16 rounds x·cos, roll(x)·sin and their sum, each.
    private static Tensor RotaryRounded(Tensor x, Tensor cos, Tensor signedSin, Tensor y)
    {
        ReadOnlySpan<float> xs = Numbers(x), c = Numbers(cos), s = Numbers(signedSin);
        var ys = Results(y);
        var (d, half) = (c.Length, c.Length / 2);
        for (var i = 0; i < xs.Length; i++)
        {
            var (j, head) = (i % d, i - i % d);
            var rolled = xs[head + (j + half) % d];
            ys[i] = Rounded(Rounded(xs[i] * c[j]) + Rounded(rolled * s[j]));
        }
        return Stored(ys, y);
    }

    /// <summary>silu(gate) · up for gateUp = gate ‖ up, one token's (1, 1, 2 · intermediate) → (1, 1, intermediate).</summary>
    public static Tensor SwiGlu(Tensor gateUp)
    {
        var half = gateUp.size(-1) / 2;
        var y = empty([1, 1, half], gateUp.dtype);
        var ys = Results(y);
        ReadOnlySpan<float> both = Numbers(gateUp), gate = both[..(int)half], up = both[(int)half..];
        TensorPrimitives.Sigmoid(gate, ys);               // silu(g) = g · σ(g)
        TensorPrimitives.Multiply(ys, gate, ys);
        if (Bfloat16(gateUp)) RoundEach(ys);              // silu's own result, in bfloat16
        TensorPrimitives.Multiply(ys, up, ys);
        return Stored(ys, y);
    }

    /// <summary>Writes one token's heads x (1, heads, 1, d) at <paramref name="position"/> of a buffer (1, heads, room, d).</summary>
    public static void Write(Tensor buffer, long position, Tensor x)
    {
        var (room, d) = (buffer.size(2), (int)(x.size(3) * x.ElementSize)); // d in bytes: float32 and bfloat16 alike
        Span<byte> to = buffer.bytes, from = x.bytes;
        for (var head = 0; head < from.Length / d; head++)
            from.Slice(head * d, d).CopyTo(to.Slice((int)((head * room + position) * d), d));
    }

    /// <summary>
    /// Whether one query's attention can be computed here: q (1, heads, 1, d) contiguous, keys and values (1, kv_heads,
    /// S, d) of q's dtype on the CPU with each position's d numbers side by side (the cache's buffers, or a view of
    /// them), the mask absent or a boolean row of S.
    /// </summary>
    public static bool AppliesToAttention(Tensor q, Tensor k, Tensor v, Tensor? mask) =>
        AppliesToHeads(q) && PositionsInRows(k, q.dtype) && PositionsInRows(v, q.dtype) && k.size(2) == v.size(2) && q.size(3) == k.size(3) &&
        k.size(1) == v.size(1) && q.size(1) % k.size(1) == 0 &&
        (mask is null || (mask.dtype == ScalarType.Bool && mask.is_contiguous() && mask.NumberOfElements == k.size(2) && mask.device_type == TorchSharp.DeviceType.CPU));

    /// <summary>
    /// softmax(q·kᵀ / √d)·v for one query token, each query head against the key/value head its group shares
    /// (grouped-query attention): q (1, heads, 1, d), k and v (1, kv_heads, S, d), mask (1, S) true where a key may be
    /// seen → (1, 1, heads · d). In bfloat16 each key and value is widened as it is read, and the output rounded.
    /// </summary>
    public static unsafe Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var (heads, kvHeads, positions, d) = ((int)q.size(1), (int)k.size(1), (int)k.size(2), (int)q.size(3));
        var halves = Bfloat16(q); // keys and values are q's dtype (AppliesToAttention)
        var y = empty([1, 1, heads * d], q.dtype);
        var ys = Results(y);
        using var keyNumbers = Extent(k);
        using var valueNumbers = Extent(v);
        var size = k.ElementSize;
        var (keyHead, valueHead, row, group) = (k.stride(1) * size, v.stride(1) * size, d * size, heads / kvHeads);
        ReadOnlySpan<byte> allowed = mask is null ? default : mask.bytes;
        var scale = 1 / MathF.Sqrt(d);
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(positions);
        try
        {
            fixed (float* queries = Numbers(q), outputs = ys)
            fixed (byte* keys = keyNumbers.bytes, values = valueNumbers.bytes) // libtorch's memory: nothing to pin
            {
                for (var h = 0; h < heads; h++)
                {
                    float* query = queries + h * d, output = outputs + h * d;
                    byte* key = keys + h / group * keyHead, value = values + h / group * valueHead;
                    var score = scores.AsSpan(0, positions);
                    for (var s = 0; s < positions; s++)
                        score[s] = allowed.IsEmpty || allowed[s] != 0 ? Dot(key + (long)s * row, query, d, halves) * scale : float.NegativeInfinity;
                    TensorPrimitives.Subtract(score, TensorPrimitives.Max(score), score); // softmax, the largest score first made 0
                    TensorPrimitives.Exp(score, score);
                    var total = TensorPrimitives.Sum(score);
                    new Span<float>(output, d).Clear();
                    for (var s = 0; s < positions; s++)
                        if (score[s] != 0) AddScaled(value + (long)s * row, score[s] / total, output, d, halves); // masked keys weigh 0
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
        }
        return Stored(ys, y);
    }

    // A cached key's row against a query, the key in float32 or bfloat16.
    private static unsafe float Dot(byte* key, float* query, int d, bool halves) =>
        halves ? Bfloat16RowDots.Dot((ushort*)key, query, d) : RowDots.Dot((float*)key, query, d);

    // y += a·x for a cached value's row x, in float32 or bfloat16.
    private static unsafe void AddScaled(byte* x, float a, float* y, int d, bool halves)
    {
        if (halves) Bfloat16RowDots.AddScaled((ushort*)x, a, y, d);
        else AddScaled((float*)x, a, y, d);
    }

    // y += a·x, d numbers.
    private static unsafe void AddScaled(float* x, float a, float* y, int d)
    {
        var i = 0;
        for (; i <= d - Vector<float>.Count; i += Vector<float>.Count)
            Vector.Store(Vector.Load(y + i) + Vector.Load(x + i) * a, y + i);
        for (; i < d; i++) y[i] += x[i] * a;
    }

    // (1, heads, S, d) with each position's d numbers together; the heads may lie a cache's room apart.
    private static bool PositionsInRows(Tensor x, ScalarType dtype) =>
        x.dim() == 4 && x.size(0) == 1 && x.device_type == TorchSharp.DeviceType.CPU && x.dtype == dtype &&
        x.stride(3) == 1 && x.stride(2) == x.size(3);

    // A view into a larger buffer (the cache's) as one contiguous view from its first number to its last, whose bytes
    // can be read: Tensor.bytes refuses views that are not contiguous, and TorchSharp's storage<T> converts a bfloat16
    // tensor instead of reading it (it has no 16-bit type).
    private static Tensor Extent(Tensor x)
    {
        var length = 1L;
        for (var i = 0; i < x.dim(); i++) length += (x.size(i) - 1) * x.stride(i);
        return x.as_strided([length], [1], x.storage_offset());
    }

    // Contiguous: its numbers are read and written as one span of memory.
    private static bool IsCpuRow(Tensor x) =>
        x.device_type == TorchSharp.DeviceType.CPU && x.dtype is ScalarType.Float32 or ScalarType.BFloat16 && x.is_contiguous();

    private static bool Bfloat16(Tensor x) => x.dtype == ScalarType.BFloat16;

    private static Span<float> Floats(Tensor t) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.bytes);

    // A contiguous tensor's numbers as float32: its own memory in float32, a widened copy in bfloat16.
    private static ReadOnlySpan<float> Numbers(Tensor t)
    {
        if (!Bfloat16(t)) return Floats(t);
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(t.bytes);
        var numbers = new float[halves.Length];
        for (var i = 0; i < numbers.Length; i++) numbers[i] = Bfloat16RowDots.Widen(halves[i]);
        return numbers;
    }

    // Where y's float32 results are computed: y's own memory in float32, a scratch row in bfloat16 (see Stored).
    private static Span<float> Results(Tensor y) => Bfloat16(y) ? new float[y.NumberOfElements] : Floats(y);

    // Writes float32 results into y: rounded to bfloat16 where y is bfloat16 (in float32 they were computed in place).
    private static Tensor Stored(ReadOnlySpan<float> numbers, Tensor y)
    {
        if (!Bfloat16(y)) return y;
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(y.bytes);
        for (var i = 0; i < halves.Length; i++) halves[i] = Bfloat16RowDots.Round(numbers[i]);
        return y;
    }

    private static float Rounded(float f) => Bfloat16RowDots.Widen(Bfloat16RowDots.Round(f));

    private static void RoundEach(Span<float> numbers)
    {
        for (var i = 0; i < numbers.Length; i++) numbers[i] = Rounded(numbers[i]);
    }
}
