using Walkthrough.Checkpoints;

namespace Walkthrough.Display;

/// <summary>
/// Loading progress for a notebook or a log: one line at every tenth of the bytes, so a cell shows how a long load
/// advances without redrawing anything. <code>LanguageModel.Load(folder, progress: new LoadProgressText())</code>
/// </summary>
public sealed class LoadProgressText(TextWriter? output = null) : IProgress<LoadProgress>
{
    private readonly TextWriter _output = output ?? Console.Out;
    private int _tenthsShown = -1;

    public void Report(LoadProgress value)
    {
        var tenths = (int)Math.Floor(value.Fraction * 10);
        if (tenths <= _tenthsShown) return;
        _tenthsShown = tenths;
        var bar = new string('█', tenths) + new string('░', 10 - tenths);
        _output.WriteLine($"{bar} {value.Fraction * 100,3:0}%  {value.Index}/{value.Count} tensors, {Units.Bytes(value.BytesDone)} of {Units.Bytes(value.BytesTotal)}  ({value.Tensor})");
    }
}
