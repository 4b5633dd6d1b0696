using System.Text.Json;
using Walkthrough.Tokens.HuggingFace;

namespace Walkthrough.Tokens;

/// <summary>
/// What a model folder's <c>tokenizer_config.json</c> says about special tokens: which are BOS and EOS, and whether
/// they are added around every encoded text (transformers lets these settings override the tokenizer.json template).
/// </summary>
public sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? UnknownToken,
    bool? AddBosToken,
    bool? AddEosToken,
    string? ChatTemplate,
    string? TokenizerClass)
{
    public static readonly TokenizerConfig Empty = new(null, null, null, null, null, null, null);

    public static TokenizerConfig Read(string file)
    {
        if (!File.Exists(file)) return Empty;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            return new TokenizerConfig(
                TokenText(root, "bos_token"), TokenText(root, "eos_token"), TokenText(root, "unk_token"),
                Bool(root, "add_bos_token"), Bool(root, "add_eos_token"),
                root.TryGetProperty("chat_template", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
                root.TryGetProperty("tokenizer_class", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
        }
        catch (JsonException e)
        {
            throw new WalkthroughException($"{file}: not valid JSON ({e.Message}). Fix or delete the file; tokenizer.json alone is enough.");
        }
    }

    internal PostProcessing Override(PostProcessing template, int? bosId, int? eosId)
    {
        if (AddBosToken is null && AddEosToken is null) return template;
        var prefix = AddBosToken switch
        {
            true when bosId is { } id => [id],
            false => [],
            _ => template.Prefix,
        };
        var suffix = AddEosToken switch
        {
            true when eosId is { } id => [id],
            false => [],
            _ => template.Suffix,
        };
        return new PostProcessing(prefix, suffix);
    }

    // Special tokens are written either as "<s>" or as {"content": "<s>", ...}.
    private static string? TokenText(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) ? content.GetString()
        : null;

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;
}
