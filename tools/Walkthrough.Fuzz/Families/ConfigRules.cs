using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// config.json of a Mistral model, as transformers' MistralConfig reads it. The sizes that shape the weights must be
/// the checkpoint's own whole numbers; the numbers that only tune the computation may change within their range;
/// types are what Python would need (a size of 192.0 is a float, which torch refuses); keys the kit does not read
/// and inference does not need (architectures, attention_dropout, initializer_range, use_cache) may hold anything. A
/// null is Python's None: where transformers reads a flag as false, so may the kit. Everything is judged against the pristine config, so the rules hold for any base model.
/// </summary>
internal sealed class ConfigRules : JsonRules
{
    private static readonly string[] ShapeKeys = ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads"];

    public override IReadOnlySet<string> Maps { get; } = new HashSet<string>();

    public override Judgement Judge(Change change, JsonNode? before, JsonNode? after)
    {
        var path = change.Path;
        if (path.IsRoot) return change.New.Node is JsonObject ? Judgement.Harmless : Judgement.Refuse("config.json is not an object");
        var key = (string)path.Segments[0];
        if (path.Segments.Count > 1)
        {
            // A change inside a value (a list, rope_scaling's object) is judged as a change of the whole value.
            var top = TopLevel(path);
            return Judge(new Change(top, JsonTree.Get(before, top), JsonTree.Get(after, top)), before, after);
        }
        var value = change.New;
        var old = change.Old;
        var absent = !value.Present || value.Node is null && key is "head_dim" or "sliding_window" or "rope_scaling" or "bos_token_id" or "eos_token_id" or "torch_dtype";
        switch (key)
        {
            case "model_type":
                if (JsonTree.IsString(value, out var type) && JsonTree.IsString(old, out var was))
                    return type == was ? Judgement.Harmless
                        : type == "llama" && was == "mistral" ? Judgement.Finite("a Llama reads a Mistral's weights without its sliding window")
                        : Refuse(change, $"names {type}, whose weights these are not");
                return Refuse(change, "is missing or not a string");
            case var shape when ShapeKeys.Contains(shape):
                return JsonTree.IsWhole(value, out var size) && JsonTree.IsWhole(old, out var pristine) && size == pristine
                    ? Judgement.Harmless : Refuse(change, "does not match the weights' shape");
            case "head_dim":
                return absent ? Judgement.Harmless  // hidden_size / num_attention_heads is the same here
                    : JsonTree.IsWhole(value, out var dim) && JsonTree.IsWhole(old, out var oldDim) && dim == oldDim ? Judgement.Harmless
                    : Refuse(change, "does not match the weights' shape");
            case "max_position_embeddings":
                return JsonTree.IsWhole(value, out var positions) && positions is > 0 and <= int.MaxValue
                    ? Judgement.Finite("another context length") : Refuse(change, "is not a positive whole number");
            case "rms_norm_eps":
                if (!value.Present) return Judgement.Finite("the default epsilon");
                return JsonTree.IsFinite(value, out var eps) && eps is > 0 and < 1
                    ? (JsonTree.IsFinite(old, out var oldEps) && eps == oldEps ? Judgement.Harmless : Judgement.Finite("another epsilon"))
                    : Refuse(change, "is not a small positive number");
            case "rope_theta":
                if (!value.Present) return Judgement.Harmless;  // 10,000, the default, is the bundled model's
                return JsonTree.IsFinite(value, out var theta) && theta > 1
                    ? (JsonTree.IsFinite(old, out var oldTheta) && theta == oldTheta ? Judgement.Harmless : Judgement.Finite("another rotary base"))
                    : Refuse(change, "is not a rotary base above 1");
            case "sliding_window":
                if (absent) return Judgement.Harmless;  // the probe is far shorter than any window
                return JsonTree.IsWhole(value, out var window) && window is > 0 and <= int.MaxValue
                    ? (window >= 64 ? Judgement.Harmless : Judgement.Finite("a window shorter than the probe"))
                    : Refuse(change, "is not a positive whole number or null");
            case "tie_word_embeddings":
                return JsonTree.IsBool(value, out var tied) && JsonTree.IsBool(old, out var oldTied) && tied == oldTied
                    ? Judgement.Harmless : Refuse(change, "unties a head the checkpoint does not have, or is not true/false");
            case "attention_bias":
                return !value.Present || value.Node is null || JsonTree.IsBool(value, out var bias) && !bias ? Judgement.Harmless : Refuse(change, "asks for biases the checkpoint lacks, or is not true/false");
            case "hidden_act":
                return !value.Present || JsonTree.IsString(value, out var act) && act is "silu" or "swish" ? Judgement.Harmless : Refuse(change, "names an activation the kit does not compute");
            case "bos_token_id":
                return absent ? Judgement.Harmless : TokenId(change, value, before);
            case "eos_token_id":
                return absent ? Judgement.Harmless : Eos(path, value, before);
            case "torch_dtype":
            case "dtype":
                return absent || JsonTree.IsString(value, out _) ? Judgement.Harmless : Refuse(change, "is not a dtype name");
            case "rope_scaling":
                return RopeScaling(change);
            case "use_sliding_window":
                return !value.Present || value.Node is null || JsonTree.IsBool(value, out _) ? Judgement.Harmless : Refuse(change, "is not true/false");
            default:
                return Judgement.Harmless;
        }
    }

    private static JsonPath TopLevel(JsonPath path) => JsonPath.Root.Member((string)path.Segments[0], new HashSet<string>());

    private static Judgement TokenId(Change change, Slot value, JsonNode? before) =>
        JsonTree.IsWhole(value, out var id) && id >= 0 && id < Vocabulary(before) ? Judgement.Finite("another special token id")
            : Refuse(change, "is not a token id within the vocabulary");

    private static Judgement Eos(JsonPath path, Slot value, JsonNode? before)
    {
        var change = new Change(path, Slot.Absent, value);
        if (value.Node is null) return Judgement.Harmless;
        if (value.Node is JsonArray list)
            return list.All(e => JsonTree.IsWhole(new Slot(true, e), out var id) && id >= 0 && id < Vocabulary(before))
                ? Judgement.Finite("other end-of-text ids") : Refuse(change, "holds something other than token ids within the vocabulary");
        return TokenId(change, value, before);
    }

    private static long Vocabulary(JsonNode? config) => JsonTree.IsWhole(JsonTree.Get(config, Member("vocab_size")), out var v) ? v : 0;

    // {"type"|"rope_type": "linear"|"dynamic"|..., "factor": x > 0, ...}: linear and llama3 are what the kit runs.
    private static Judgement RopeScaling(Change change)
    {
        var value = change.New;
        if (!value.Present || value.Node is null) return Judgement.Harmless;
        if (value.Node is not JsonObject scaling) return Refuse(change, "is not an object");
        var type = JsonTree.Get(scaling, Member("rope_type")) is { Present: true } rope ? rope : JsonTree.Get(scaling, Member("type"));
        if (!JsonTree.IsString(type, out var name)) return Refuse(change, "has no type name");
        var factor = JsonTree.Get(scaling, Member("factor"));
        var goodFactor = JsonTree.IsFinite(factor, out var f) && f > 0;
        return name switch
        {
            "default" => Judgement.Harmless,
            "linear" when goodFactor => Judgement.Finite("linear rotary scaling"),
            "llama3" when goodFactor && new[] { "low_freq_factor", "high_freq_factor", "original_max_position_embeddings" }
                .All(k => JsonTree.IsFinite(JsonTree.Get(scaling, Member(k)), out var p) && p > 0)
                && JsonTree.IsFinite(JsonTree.Get(scaling, Member("high_freq_factor")), out var high)
                && JsonTree.IsFinite(JsonTree.Get(scaling, Member("low_freq_factor")), out var low) && high > low => Judgement.Finite("Llama 3 rotary scaling"),
            _ => Refuse(change, $"asks for rotary scaling \"{name}\" without a usable factor, or one the kit does not run"),
        };
    }

    private static JsonPath Member(string name) => JsonPath.Root.Member(name, new HashSet<string>());
}
