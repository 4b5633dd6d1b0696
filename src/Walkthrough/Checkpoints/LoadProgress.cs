namespace Walkthrough.Checkpoints;

/// <summary>
/// Where a load stands after a tensor has been read: the CLI draws it as a bar, a notebook as a progress display.
/// <see cref="Index"/> counts tensors from 1, so the last report has <c>Index == Count</c> and
/// <c>BytesDone == BytesTotal</c>. Bytes are as stored in the files, before any change of dtype.
/// </summary>
public sealed record LoadProgress(string Tensor, int Index, int Count, long BytesDone, long BytesTotal)
{
    /// <summary>The share of bytes read, from 0 to 1.</summary>
    public double Fraction => BytesTotal == 0 ? 1 : (double)BytesDone / BytesTotal;

    public override string ToString() =>
        $"{Index}/{Count} {Tensor}: {BytesDone / 1e6:N1} of {BytesTotal / 1e6:N1} MB ({Fraction * 100:0}%)";
}
