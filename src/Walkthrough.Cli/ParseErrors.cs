using System.CommandLine;
using System.CommandLine.Parsing;

namespace Walkthrough.Cli;

/// <summary>
/// Parse errors in a learner's words. System.CommandLine says "Cannot parse argument 'abc' for option '--steps' as
/// expected type 'System.Int32'"; this says "--steps abc is not a whole number: give one such as 3" — for every
/// numeric option of every command, including ones added later.
/// </summary>
internal static class ParseErrors
{
    /// <summary>One line per error; the pointer to --help only where the line itself does not say what to do.</summary>
    public static void Write(IReadOnlyList<ParseError> errors, TextWriter error)
    {
        var explained = errors.Select(e => (Line: Explain(e), Explained: Explain(e) != e.Message)).ToList();
        foreach (var (line, _) in explained) error.WriteLine($"walkthrough: {line}");
        if (explained.Any(e => !e.Explained)) error.WriteLine("Try 'walkthrough --help'.");
    }

    public static string Explain(ParseError error)
    {
        var (name, type, symbol) = error.SymbolResult switch
        {
            OptionResult option => (option.Option.Name, option.Option.ValueType, (Symbol)option.Option),
            ArgumentResult { Parent: OptionResult option } => (option.Option.Name, option.Option.ValueType, option.Option),
            ArgumentResult argument => (argument.Argument.Name, argument.Argument.ValueType, argument.Argument),
            _ => (null, null, null),
        };
        if (name is null || type is null || !error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal)) return error.Message;
        var given = error.SymbolResult!.Tokens.LastOrDefault()?.Value ?? "";
        var number = Nullable.GetUnderlyingType(type) ?? type;
        var (what, example) = number switch
        {
            _ when number == typeof(int) || number == typeof(long) => ("a whole number", "3"),
            _ when number == typeof(uint) || number == typeof(ulong) => ("a whole number of 0 or more", "42"),
            _ when number == typeof(double) || number == typeof(float) || number == typeof(decimal) => ("a number", "0.7"),
            _ => (null, null),
        };
        if (what is null) return error.Message;
        if (Default(symbol) is { } value) example = value;
        return $"{name} {given} is not {what}: give one such as {example}{(what == "a number" ? " (with a dot for decimals)" : "")}.";
    }

    // The option's own default, when it has one, makes the best example — but 0 (off, greedy) explains nothing.
    private static string? Default(Symbol? symbol) => symbol switch
    {
        Option { HasDefaultValue: true } option => Format(option.GetDefaultValue()),
        Argument { HasDefaultValue: true } argument => Format(argument.GetDefaultValue()),
        _ => null,
    };

    private static string? Format(object? value) =>
        value is IFormattable number && number.ToString(null, System.Globalization.CultureInfo.InvariantCulture) is var text and not "0" ? text : null;
}
