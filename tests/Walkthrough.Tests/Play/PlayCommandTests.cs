using Walkthrough.Tests.Cli;

namespace Walkthrough.Tests.Play;

/// <summary>`walkthrough play` refuses bad settings in one line, before it loads a model or listens.</summary>
public sealed class PlayCommandTests
{
    [Theory]
    [InlineData("--port", "70000", "walkthrough: --port 70000 is outside 0..65535: use e.g. 5050, or 0 for any free port.")]
    [InlineData("--port", "6000", "walkthrough: --port 6000 is one that browsers refuse to open (it belongs to another protocol): use e.g. 5050, or 0 for any free port.")]
    [InlineData("--host", "workshop.local", "walkthrough: --host workshop.local is not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface).")]
    [InlineData("--max-sessions", "0", "walkthrough: --max-sessions 0 is outside 1..10000.")]
    [InlineData("--idle-minutes", "0", "walkthrough: --idle-minutes 0 is outside (0, 1440]: use e.g. 15.")]
    public void A_bad_setting_ends_in_one_line_and_exit_code_2(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("play", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message, error.TrimEnd());
    }
}
