using static TorchSharp.torch;

namespace Walkthrough.Inside;

/// <summary>Tensors copied out to plain arrays, in float32 on the CPU, for display and JSON.</summary>
internal static class Matrices
{
    public static float[] Vector(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to(float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>A (rows, columns) tensor as one array per row.</summary>
    public static float[][] Rows(Tensor t)
    {
        var flat = Vector(t);
        var columns = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => flat.AsSpan(r * columns, columns).ToArray()).ToArray();
    }
}
