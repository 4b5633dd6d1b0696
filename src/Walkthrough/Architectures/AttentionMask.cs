using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Which keys each query may look at: only earlier tokens (causal) and, for Mistral, only the last
/// <c>window</c> of them (sliding window). True means "may attend".
/// </summary>
internal static class AttentionMask
{
    /// <summary>The (T, past + T) mask for T new queries after <paramref name="past"/> cached tokens.</summary>
    public static Tensor Causal(long queries, long past, int? window, Device device)
    {
        using var scope = NewDisposeScope();
        var q = Scalars.Arange(past, past + queries, int64, device).unsqueeze(1);   // (T, 1): each query's position
        var k = Scalars.Arange(0, past + queries, int64, device).unsqueeze(0);      // (1, S): each key's position
        var distance = q - k;
        var allowed = distance.ge(Scalars.Zero);
        if (window is { } w)
        {
            using Scalar limit = w;
            allowed = allowed.logical_and(distance.lt(limit));
        }
        return allowed.MoveToOuterDisposeScope();
    }

    /// <summary>Whether plain causal attention (SDPA's is_causal) gives the same result: no cache, no window cut.</summary>
    public static bool IsPlainCausal(long queries, long past, int? window) => past == 0 && (window is null || queries <= window);
}
