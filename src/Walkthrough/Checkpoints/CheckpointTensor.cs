namespace Walkthrough.Checkpoints;

/// <summary>
/// Where one tensor lies in a checkpoint and what it is, as the file's header says: enough to plan a load without
/// reading a byte of it. <see cref="Offset"/> counts from the start of <see cref="File"/>.
/// </summary>
public sealed record CheckpointTensor(string Name, string Dtype, IReadOnlyList<long> Shape, string File, long Offset, long Bytes)
{
    public long Elements => Shape.Aggregate(1L, (product, size) => product * size);

    public string ShapeText => FormatShape(Shape);

    public override string ToString() => $"{Name} {Dtype} {ShapeText}";

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
