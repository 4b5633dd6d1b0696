using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Grouped-query attention for one new token without copying the keys and values once per query head. The usual
/// way (LlamaAttention's) repeats each key/value head for the query heads that share it; for a single query the
/// query heads of a group can instead stand side by side as rows against their one key/value head:
/// q (B, heads, 1, d) → (B, kv_heads, heads / kv_heads, d). Same scores, same result; what it saves is the
/// repeat of the whole cache, twice per layer per decode step.
/// </summary>
internal static class GroupedQueryStep
{
    /// <summary>q (B, heads, 1, d), k and v (B, kv_heads, S, d), mask (1, S) or null → (B, 1, heads · d).</summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        if (OneToken.AppliesToAttention(q, k, v, mask)) return OneToken.Attention(q, k, v, mask); // CPU, float32 or bfloat16
        using var scope = NewDisposeScope();
        var (batch, heads, dim, kvHeads) = (q.size(0), q.size(1), q.size(3), k.size(1));
        var grouped = q.reshape(batch, kvHeads, heads / kvHeads, dim);                 // (B, kv_heads, group, d)
        var attended = nn.functional.scaled_dot_product_attention(grouped, k, v, mask, 0, is_casual: false);
        return attended.reshape(batch, 1, heads * dim).MoveToOuterDisposeScope();      // heads in q's order
    }
}
