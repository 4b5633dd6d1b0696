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

    /// <summary>
    /// The mask, or null where none is needed: a text read whole (no cache) within the window is plain causal
    /// attention (SDPA's is_causal, see <see cref="IsCausal"/>), and a single new token within the window may look at
    /// every key — a decode step, which so builds no mask (8 operations a step).
    /// </summary>
    public static Tensor? For(long queries, long past, int? window, Device device) =>
        (past == 0 && (window is null || queries <= window)) || (queries == 1 && (window is null || past < window))
            ? null
            : Causal(queries, past, window, device);

    /// <summary>Whether SDPA is to apply the causal rule itself where <see cref="For"/> gave no mask: yes for several queries, no for one.</summary>
    public static bool IsCausal(Tensor? mask, long queries) => mask is null && queries > 1;
}
