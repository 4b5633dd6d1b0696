namespace Walkthrough.Cli;

/// <summary>Runs a command so a learner's mistake ends in one clear line and exit code 2, never a stack trace.</summary>
public static class Guarded
{
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
}
