using System.IO.Compression;
using System.Text.Json;
using Walkthrough.Tokens;

namespace Walkthrough.Tests.Tokens;

/// <summary>
/// The tokenizers the tests compare against independent implementations, and those implementations' ids
/// (tests/data/tokenizers/expected/*.json, made by tools/tokenizer-data; see the README there).
/// </summary>
internal static class ReferenceTokenizers
{
    public static readonly string[] Names = ["mistral-7b", "llama2", "llama3", "qwen3", "o200k_base", "cl100k_base"];

    private static readonly Dictionary<string, Lazy<Tokenizer>> Loaded = Names.Append("mistral-sentencepiece")
        .ToDictionary(n => n, n => new Lazy<Tokenizer>(() => Tokenizer.Load(Source(n))));

    public static Tokenizer Get(string name) => Loaded[name].Value;

    public static IReadOnlyList<ReferenceCase> Cases(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("tokenizers", "expected", $"{name}.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("text").GetString()!,
            Ids(c.GetProperty("ids")),
            Ids(c.GetProperty("ids_no_special")),
            c.TryGetProperty("decoded", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null)).ToList();
    }

    private static int[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    // The reference tokenizer.json files are committed gzipped (9-11 MB raw); unpack each once per test run.
    private static string Source(string name) => name switch
    {
        "mistral-7b" => RepoPaths.Data("tokenizers", "mistral-7b"),
        "o200k_base" or "cl100k_base" => name,
        "mistral-sentencepiece" => RepoPaths.TestData("tokenizers", "mistral-sentencepiece", "tokenizer.model"),
        _ => Unpacked(name),
    };

    private static string Unpacked(string name)
    {
        var source = RepoPaths.TestData("tokenizers", name);
        var target = Path.Combine(Path.GetTempPath(), "walkthrough-tests", name);
        Directory.CreateDirectory(target);
        // Written beside and moved into place, so a test run in parallel never reads half a file.
        var partial = Path.Combine(target, $"tokenizer.json.{Environment.ProcessId}");
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(source, "tokenizer.json.gz")), CompressionMode.Decompress))
        using (var file = File.Create(partial))
            gz.CopyTo(file);
        File.Move(partial, Path.Combine(target, "tokenizer.json"), overwrite: true);
        File.Copy(Path.Combine(source, "tokenizer_config.json"), Path.Combine(target, "tokenizer_config.json"), overwrite: true);
        return target;
    }
}

internal sealed record ReferenceCase(string Text, int[] Ids, int[] IdsNoSpecial, string? Decoded);
