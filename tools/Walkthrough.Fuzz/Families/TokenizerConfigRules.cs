using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// tokenizer_config.json as transformers reads it beside a tokenizer.json: the special tokens by their text (a
/// string, or an object whose "content" is the string), whether BOS and EOS are added, the chat template. A
/// special token must be one the vocabulary has; the flags are true, false or null.
/// </summary>
internal sealed class TokenizerConfigRules(IReadOnlySet<string> vocabulary) : JsonRules
{
    public override IReadOnlySet<string> Maps { get; } = new HashSet<string> { "added_tokens_decoder" };

    public override Judgement Judge(Change change, JsonNode? before, JsonNode? after)
    {
        var path = change.Path;
        if (path.IsRoot) return change.New.Node is JsonObject ? Judgement.Harmless : Judgement.Refuse("tokenizer_config.json is not an object");
        var key = (string)path.Segments[0];
        var top = JsonPath.Root.Member(key, Maps);
        if (path.Segments.Count > 1) return Judge(new Change(top, JsonTree.Get(before, top), JsonTree.Get(after, top)), before, after);
        var value = change.New;
        switch (key)
        {
            case "bos_token" or "eos_token" or "unk_token":
                if (!value.Present || value.Node is null) return Judgement.Finite($"no {key}");
                var text = value.Node is JsonObject token ? JsonTree.Get(token, JsonPath.Root.Member("content", Maps)) : value;
                if (!JsonTree.IsString(text, out var content)) return Refuse(change, "is not a token's text");
                if (!vocabulary.Contains(content)) return Refuse(change, $"names \"{content}\", which the vocabulary lacks");
                return JsonTree.SameJson(new Slot(true, JsonValue.Create(content)), Content(change.Old)) ? Judgement.Harmless : Judgement.Finite($"another {key}");
            case "add_bos_token" or "add_eos_token":
                if (!value.Present || value.Node is null) return Judgement.Harmless;  // the tokenizer.json template decides, as it does here
                return JsonTree.IsBool(value, out var add)
                    ? (JsonTree.IsBool(change.Old, out var was) && add == was ? Judgement.Harmless : Judgement.Finite($"{key} changed"))
                    : Refuse(change, "is not true or false");
            case "chat_template":
                return !value.Present || value.Node is null || JsonTree.IsString(value, out _) ? Judgement.Finite("another chat template")
                    : value.Node is JsonArray templates && templates.All(t => t is JsonObject o && JsonTree.IsString(JsonTree.Get(o, JsonPath.Root.Member("template", Maps)), out _))
                        ? Judgement.Finite("named chat templates")
                        : Refuse(change, "is not a template string or a list of named templates");
            case "tokenizer_class":
                return !value.Present || value.Node is null || JsonTree.IsString(value, out _) ? Judgement.Harmless : Refuse(change, "is not a class name");
            default:
                return Judgement.Harmless;  // model_max_length, added_tokens_decoder ...: tokenizer.json is what the kit reads
        }
    }

    private static Slot Content(Slot slot) => slot.Node is JsonObject token ? JsonTree.Get(token, JsonPath.Root.Member("content", new HashSet<string>())) : slot;
}
