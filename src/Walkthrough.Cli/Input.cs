using System.Text.Encodings.Web;
using System.Text.Json;

namespace Walkthrough.Cli;

/// <summary>Reading a text argument ('-' for standard input) and writing JSON the same way in every command.</summary>
public static class Input
{
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Read(string? argument, Terminal terminal) => argument == "-" ? terminal.In.ReadToEnd() : argument ?? "";
}
