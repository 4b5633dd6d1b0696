namespace Walkthrough.Hardware;

/// <summary>The kinds of change that make a model fit, smallest first.</summary>
public enum FitChange
{
    /// <summary>float32 → bfloat16 (or float16 on a GPU older than compute capability 8.0).</summary>
    SixteenBit,
    /// <summary>A shorter context that keeps at least half the tokens asked for.</summary>
    ShorterContext,
    /// <summary>Linear weights in 8 bits: the narrowest the kit loads (4-bit needs other tools; a plan's notes say which).</summary>
    Int8,
    /// <summary>A context shorter than half the tokens asked for: a bigger loss than 8- or 4-bit weights.</summary>
    MuchShorterContext,
    MoreGpus,
}

/// <summary>
/// One change that makes a plan fit, with what it then needs: <c>Dtype</c> and <c>Context</c> after the change,
/// <c>Gpus</c> of the same kind, and the bytes on each.
/// </summary>
public sealed record FitOption(FitChange Change, Dtype Dtype, int Context, int Gpus, long BytesPerGpu, long HeadroomBytes, string Description);
