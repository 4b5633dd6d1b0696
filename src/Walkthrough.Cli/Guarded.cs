namespace Walkthrough.Cli;

/// <summary>
/// Runs a command so a learner's mistake ends in one clear line and exit code 2, never a stack trace. Readers refuse
/// bad input themselves, each with its own message; <see cref="Unexpected"/> is the last guard for what none foresaw.
/// </summary>
public static class Guarded
{
    /// <summary>Set to 1 to see the stack trace of an unexpected error.</summary>
    public const string DebugVariable = "WALKTHROUGH_DEBUG";

    public static int Run(Terminal terminal, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (WalkthroughException e)
        {
            terminal.Error.WriteLine($"walkthrough: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            terminal.Error.WriteLine($"walkthrough: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            terminal.Error.WriteLine($"walkthrough: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>
    /// An exception no reader turned into a message: one line that says it is the kit's fault (the input was not
    /// refused as it should have been), and the stack trace only when WALKTHROUGH_DEBUG=1 asks for it.
    /// </summary>
    public static int Unexpected(Terminal terminal, Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is { } inner) e = inner;
        if (e is WalkthroughException known)
        {
            terminal.Error.WriteLine($"walkthrough: {known.Message}");
            return ExitCodes.BadInput;
        }
        var debug = Environment.GetEnvironmentVariable(DebugVariable) == "1";
        var message = e.Message.Split('\n')[0].Trim();
        terminal.Error.WriteLine(
            $"walkthrough: unexpected {e.GetType().Name}: {message} — this is a bug in the kit, please report it with the command you ran" +
            (debug ? "." : $" (set {DebugVariable}=1 to see where it happened)."));
        if (debug) terminal.Error.WriteLine(e.ToString());
        return ExitCodes.Bug;
    }
}
