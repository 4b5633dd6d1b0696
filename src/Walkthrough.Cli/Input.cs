using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Walkthrough.Cli;

/// <summary>Reading a text argument ('-' for standard input) and writing JSON the same way in every command.</summary>
public static class Input
{
    /// <summary>
    /// Every command's --json: snake_case keys and enum values (docs/json.md), text as written (no \u escapes for
    /// ▁ or é). The naming policy also covers any record a command hands over whole.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Read(string? argument, Terminal terminal) => argument == "-" ? terminal.In.ReadToEnd() : argument ?? "";

    /// <summary>Writes one JSON document on standard output.</summary>
    public static void WriteJson(Terminal terminal, object document) => terminal.Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
}
