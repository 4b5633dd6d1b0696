using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// A CPU tensor's memory as spans of bytes, for reading from and writing to files. TorchSharp's <c>Tensor.bytes</c>
/// is one span, and a span holds at most 2 GB, less than an embedding matrix in f32 (Llama 3's is 2.1 GB); so a large
/// tensor is visited as slices of whole elements, each at most <see cref="ChunkBytes"/>.
/// </summary>
internal static class SafetensorsBytes
{
    public const long ChunkBytes = 1L << 30;

    /// <summary>Called with each slice of the tensor's bytes and where that slice starts within them.</summary>
    public delegate void ChunkAction(Span<byte> chunk, long offset);

    /// <param name="tensor">A contiguous CPU tensor: its elements lie in memory in order.</param>
    /// <param name="chunkBytes">The most bytes in one slice; tests make it small to see the slicing work.</param>
    public static void ForEachChunk(Tensor tensor, ChunkAction action, long chunkBytes = ChunkBytes)
    {
        var elementSize = tensor.ElementSize;
        var total = tensor.NumberOfElements;
        if (total == 0)
            return;
        if (total * elementSize <= chunkBytes)
        {
            action(tensor.bytes, 0);
            return;
        }
        using var flat = tensor.view(-1);
        var perChunk = Math.Max(1, chunkBytes / elementSize);
        for (var start = 0L; start < total; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, total - start));
            action(slice.bytes, start * elementSize);
        }
    }
}
