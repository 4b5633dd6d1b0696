using Walkthrough.Checkpoints;
using Walkthrough.Display;
using Walkthrough.Hub;

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

    [Fact]
    public void Downloads_show_one_line_per_tenth_of_each_file()
    {
        var output = new StringWriter();
        var progress = new LoadProgressText(output);

        foreach (var done in new long[] { 0, 400, 1000 }) progress.Report(new HubProgress("config.json", done, 1000, 2048));
        foreach (var done in new long[] { 0, 1L << 30, 2L << 30 }) progress.Report(new HubProgress("model.safetensors", done, 2L << 30, 50 << 20));

        Assert.Equal(
            [
                "░░░░░░░░░░   0%  downloading config.json: 0 B of 1000 B, 2.0 KiB/s",
                "████░░░░░░  40%  downloading config.json: 400 B of 1000 B, 2.0 KiB/s",
                "██████████ 100%  downloading config.json: 1000 B of 1000 B, 2.0 KiB/s",
                "░░░░░░░░░░   0%  downloading model.safetensors: 0 B of 2.00 GiB, 50.0 MiB/s",
                "█████░░░░░  50%  downloading model.safetensors: 1.00 GiB of 2.00 GiB, 50.0 MiB/s",
                "██████████ 100%  downloading model.safetensors: 2.00 GiB of 2.00 GiB, 50.0 MiB/s",
            ],
            output.ToString().TrimEnd().Split('\n'));
    }
}
