using Walkthrough.Cli;

namespace Walkthrough.Tests.Cli;

/// <summary>Runs the walkthrough command in-process, capturing its output streams.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Error) RunWithInput(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, new Terminal(output, error, new StringReader(stdin)));
        return (code, output.ToString(), error.ToString());
    }

    public static (int Code, string Out, string Error) Run(params string[] args) => RunWithInput("", args);
}
