namespace Walkthrough.Cli;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input (a file, a value, a model) was wrong; the message says how to fix it.</summary>
    public const int BadInput = 2;

    /// <summary>Something the kit did not expect went wrong: a bug to report (EX_SOFTWARE, as sysexits.h numbers it).</summary>
    public const int Bug = 70;
}
