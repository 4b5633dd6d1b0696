using Spectre.Console;

namespace Walkthrough.Cli;

/// <summary>Where a command reads and writes: the real console, or strings in tests.</summary>
public sealed record Terminal(TextWriter Out, TextWriter Error, TextReader In)
{
    public static Terminal Console => new(System.Console.Out, System.Console.Error, System.Console.In);

    /// <summary>Spectre.Console over <see cref="Out"/>; plain (no colour codes) when output is redirected.</summary>
    public IAnsiConsole Ansi() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = ReferenceEquals(Out, System.Console.Out) && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        Interactive = InteractionSupport.No,
    });
}
