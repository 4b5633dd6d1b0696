using Walkthrough.Checkpoints;
using Walkthrough.Hub;

namespace Walkthrough.Display;

/// <summary>
/// Loading progress for a notebook or a log: one line at every tenth of the bytes — of each file downloaded from the
/// hub, then of the weights read — so a cell shows how a long load advances without redrawing anything.
/// <code>LanguageModel.Load("mistralai/Mistral-7B-v0.1", progress: new LoadProgressText())</code>
/// </summary>
public sealed class LoadProgressText(TextWriter? output = null) : IProgress<LoadProgress>, IProgress<HubProgress>
{
    private readonly TextWriter _output = output ?? Console.Out;
    private int _tenthsShown = -1;
    private string? _downloading;
    private int _downloadTenthsShown = -1;

    public void Report(LoadProgress value)
    {
        if (!NextTenth(value.Fraction, ref _tenthsShown, out var bar)) return;
        _output.WriteLine($"{bar} {value.Fraction * 100,3:0}%  {value.Index}/{value.Count} tensors, {Units.Bytes(value.BytesDone)} of {Units.Bytes(value.BytesTotal)}  ({value.Tensor})");
    }

    public void Report(HubProgress value)
    {
        if (value.File != _downloading) (_downloading, _downloadTenthsShown) = (value.File, -1);
        if (!NextTenth(value.Fraction, ref _downloadTenthsShown, out var bar)) return;
        var total = value.BytesTotal is { } bytes ? Units.Bytes(bytes) : "?";
        _output.WriteLine($"{bar} {value.Fraction * 100,3:0}%  downloading {value.File}: {Units.Bytes(value.BytesDone)} of {total}, {Units.Bytes((long)value.BytesPerSecond)}/s");
    }

    private static bool NextTenth(double fraction, ref int shown, out string bar)
    {
        var tenths = (int)Math.Floor(fraction * 10);
        bar = new string('█', tenths) + new string('░', 10 - tenths);
        if (tenths <= shown) return false;
        shown = tenths;
        return true;
    }
}
