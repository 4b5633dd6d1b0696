using System.CommandLine;
using System.Globalization;
using Walkthrough.Cli.Commands;

namespace Walkthrough.Cli;

/// <summary>The <c>walkthrough</c> tool: the lessons' story told in a terminal.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Terminal.Console);

    public static int Run(string[] args, Terminal terminal)
    {
        // The tool speaks English: numbers read and printed with a dot, as in the lessons and the docs, whatever the
        // machine's locale (a German one would print "top-p 1,5" and read scripts' JSON figures differently).
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var root = new RootCommand("walkthrough: see how a large language model turns a prompt into an answer")
        {
            WalkCommand.Create(terminal),
            TokensCommand.Create(terminal),
            InspectCommand.Create(terminal),
            NextCommand.Create(terminal),
            GenerateCommand.Create(terminal),
            PlayCommand.Create(terminal),
            LensCommand.Create(terminal),
            AttentionCommand.Create(terminal),
            EmbeddingsCommand.Create(terminal),
            LessonCommand.Create(terminal),
            BenchCommand.Create(terminal),
            GpuCommand.Create(terminal),
            PlanCommand.Create(terminal),
            DoctorCommand.Create(terminal),
            CheckCommand.Create(terminal),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            ParseErrors.Write(parsed.Errors, terminal.Error);
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = terminal.Out, Error = terminal.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Guarded.Unexpected(terminal, e);
        }
    }
}
