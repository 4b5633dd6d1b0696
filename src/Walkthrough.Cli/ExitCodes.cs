namespace Walkthrough.Cli;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input (a file, a value, a model) was wrong; the message says how to fix it.</summary>
    public const int BadInput = 2;
}
