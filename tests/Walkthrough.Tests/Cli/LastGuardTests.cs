using Walkthrough.Cli;
using Walkthrough.Tests.Hub;

namespace Walkthrough.Tests.Cli;

/// <summary>
/// Bad input ends in one line and exit code 2; an exception no reader foresaw ends in one line that calls it a bug in
/// the kit, with the stack trace only when WALKTHROUGH_DEBUG=1 — never a bare trace.
/// </summary>
[Collection(EnvironmentVariables.Name)]
public sealed class LastGuardTests
{
    [Theory]
    [InlineData("next", "--model", "", "Hi")]
    [InlineData("inspect", "--model", "   ")]
    [InlineData("plan", "")]
    [InlineData("tokens", "--tokenizer", "", "x")]
    public void An_empty_model_or_tokenizer_is_one_line_and_exit_code_2(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("walkthrough: No ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_that_says_it_is_a_bug()
    {
        using var _ = EnvironmentVariables.Set((Guarded.DebugVariable, null));

        var (code, error) = RunWithBrokenInput();

        Assert.Equal(ExitCodes.Bug, code);
        Assert.Equal("walkthrough: unexpected NotSupportedException: standard input is broken — this is a bug in the kit, please report it " +
            "with the command you ran (set WALKTHROUGH_DEBUG=1 to see where it happened).", error.TrimEnd());
    }

    [Fact]
    public void With_WALKTHROUGH_DEBUG_the_stack_trace_follows_the_line()
    {
        using var _ = EnvironmentVariables.Set((Guarded.DebugVariable, "1"));

        var (code, error) = RunWithBrokenInput();

        Assert.Equal(ExitCodes.Bug, code);
        var lines = error.TrimEnd().Split('\n');
        Assert.EndsWith("this is a bug in the kit, please report it with the command you ran.", lines[0]);
        Assert.Contains(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    // `tokens -` reads the text from standard input; a reader that throws is a failure no command expects.
    private static (int Code, string Error) RunWithBrokenInput()
    {
        var error = new StringWriter();
        var code = Program.Run(["tokens", "-"], new Terminal(new StringWriter(), error, new BrokenReader()));
        return (code, error.ToString());
    }

    private sealed class BrokenReader : TextReader
    {
        public override string ReadToEnd() => throw new NotSupportedException("standard input is broken");
    }
}
