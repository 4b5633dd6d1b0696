using Walkthrough.Checkpoints;
using Walkthrough.Display;

namespace Walkthrough.Tests.Display;

public sealed class LoadProgressTextTests
{
    [Fact]
    public void One_line_per_tenth_of_the_bytes()
    {
        var output = new StringWriter();
        var progress = new LoadProgressText(output);

        foreach (var i in Enumerable.Range(1, 40)) progress.Report(new LoadProgress($"t{i}", i, 40, i * 25, 1000));

        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.Equal(11, lines.Length);  // the first report (2.5 %: no tenth yet), then 10 %, 20 %, ... 100 %
        Assert.StartsWith("░░░░░░░░░░", lines[0]);
        Assert.StartsWith("██████████ 100%  40/40 tensors", lines[^1]);
    }
}
