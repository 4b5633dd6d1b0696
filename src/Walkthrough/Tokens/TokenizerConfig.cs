using System.Text.Json;
using Walkthrough.Json;
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

    private const string Fix = "fix it, or delete tokenizer_config.json: tokenizer.json alone is enough";

    /// <summary>The file it was read from, for messages about it.</summary>
    internal string Source { get; init; } = "tokenizer_config.json";

    public static TokenizerConfig Read(string file)
    {
        if (!File.Exists(file)) return Empty;
        using var document = StrictJson.Read(file, Fix);
        var root = new JsonField(file, document.RootElement, Fix);
        if (root.Kind != JsonValueKind.Object) throw root.Error($"is {root.Describe()}, not a JSON object {{ ... }} of settings");
        return new TokenizerConfig(
            TokenText(root["bos_token"]), TokenText(root["eos_token"]), TokenText(root["unk_token"]),
            root["add_bos_token"].OptionalBool(), root["add_eos_token"].OptionalBool(),
            Template(root["chat_template"]), root["tokenizer_class"].OptionalString()) { Source = file };
    }

    /// <summary>The id of a special token named here; one the vocabulary lacks is an error, not a token silently left out.</summary>
    internal int? SpecialId(string key, string? text, Func<string, int?> idOf) =>
        text is null ? null : idOf(text) ?? throw new WalkthroughException(
            $"{Source}: \"{key}\" is \"{text}\", a token the tokenizer's vocabulary lacks: {Fix}, or make it a token the vocabulary has.");

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
    private static string? TokenText(JsonField field) =>
        field.IsMissing ? null
        : field.Kind == JsonValueKind.Object ? field["content"].String()
        : field.Kind == JsonValueKind.String ? field.String()
        : throw field.Error($"is {field.Describe()}; it must be a token's text (\"<s>\") or {{\"content\": \"<s>\", ...}}");

    // A template string, or (newer files) a list of named templates of which "default" is the one used.
    private static string? Template(JsonField field)
    {
        if (field.IsMissing) return null;
        if (field.Kind == JsonValueKind.String) return field.String();
        var named = field.Items().Select(t => (Name: t.Object()["name"].String(), Template: t["template"].String())).ToList();
        return named.FirstOrDefault(t => t.Name == "default").Template ?? named.FirstOrDefault().Template;
    }
}
