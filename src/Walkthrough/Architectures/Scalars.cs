using TorchSharp;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// Scalars the forward pass holds for good. TorchSharp 0.107 makes a temporary Scalar for each implicit conversion
/// (t + 1e-6, t.pow(2), t.ge(0)) and for the unseen alpha of every t + u, and hands libtorch only its handle: a garbage
/// collection that another thread starts during the call can finalize it while libtorch still reads it ("Unknown scalar
/// type", c10/core/Scalar.h). A Scalar that stays reachable is never finalized: these, a module's own Scalar fields for
/// its constants, or a <c>using Scalar</c> around the one call that reads it.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar Zero = 0;
    public static readonly Scalar One = 1;
    public static readonly Scalar Two = 2; // for x.pow(Two): TorchSharp's x.square() is x.pow(2), a temporary Scalar
    public static readonly Scalar MinusInfinity = float.NegativeInfinity;

    /// <summary>arange(start, stop) in steps of 1, its bounds and step held through the call.</summary>
    public static Tensor Arange(long start, long stop, ScalarType dtype, Device device)
    {
        using Scalar from = start, to = stop;
        return arange(from, to, One, dtype, device);
    }
}
