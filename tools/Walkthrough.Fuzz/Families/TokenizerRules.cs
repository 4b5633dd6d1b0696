using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>
/// tokenizer.json as the tokenizers library reads it, and as the model beside it needs it. The vocabulary maps each
/// piece to one whole-number id, no id twice; every merge is a pair of pieces whose join is a piece too, no pair
/// twice; added tokens have unique ids and contents that agree with the vocabulary; the pipeline components have the
/// shapes <see cref="TokenizerSchema"/> checks. No id may reach past the model's embedding (config.json's
/// vocab_size): such a token could be typed in, and has no row to look up.
/// </summary>
internal sealed class TokenizerRules(long modelVocabulary) : JsonRules
{
    public override IReadOnlySet<string> Maps { get; } = new HashSet<string> { "model.vocab", "post_processor.special_tokens" };

    public override Judgement Judge(Change change, JsonNode? before, JsonNode? after)
    {
        var path = change.Path;
        if (path.IsRoot) return after is JsonObject ? Judgement.Harmless : Judgement.Refuse("tokenizer.json is not an object");
        var key = (string)path.Segments[0];
        var top = JsonPath.Root.Member(key, Maps);
        var (was, now) = (JsonTree.Get(before, top), JsonTree.Get(after, top));
        var changed = !JsonTree.SameJson(was, now);
        var names = path.Names().Take(3).ToArray();
        switch (key)
        {
            case "truncation" or "padding":
                return now.Node is null ? Judgement.Harmless : Judgement.Same($"{key} settings the kit does not apply to one text");
            case "normalizer" or "pre_tokenizer" or "decoder" or "post_processor":
                if (!now.Present) return changed ? Judgement.Finite($"no {key}") : Judgement.Harmless;
                var problem = key switch
                {
                    "normalizer" => TokenizerSchema.Normalizer(now.Node),
                    "pre_tokenizer" => TokenizerSchema.PreTokenizer(now.Node),
                    "decoder" => TokenizerSchema.Decoder(now.Node),
                    _ => TokenizerSchema.PostProcessor(now.Node, Bound(after)),
                };
                return problem is not null ? Judgement.Refuse($"{key}: {problem.Key} {problem.What}", [key, problem.Key, .. names])
                    : changed ? Judgement.Finite($"another {key}") : Judgement.Harmless;
            case "added_tokens":
                return AddedTokens(after) is { } added ? Judgement.Refuse($"added_tokens: {added}", ["added_tokens", "vocab_size", .. names])
                    : changed ? Judgement.Finite("other added tokens") : Judgement.Harmless;
            case "model":
                return Model(path, before, after, names);
            default:
                return Judgement.Harmless;  // version, and keys the library does not know
        }
    }

    private Judgement Model(JsonPath path, JsonNode? before, JsonNode? after, string[] names)
    {
        if (JsonTree.Get(after, Path("model")).Node is not JsonObject model) return Judgement.Refuse("model is not an object", "model");
        var field = path.Segments.Count > 1 ? (string)path.Segments[1] : "";
        var now = JsonTree.Get(model, Path(field));
        var was = JsonTree.Get(JsonTree.Get(before, Path("model")).Node, Path(field));
        var same = JsonTree.SameJson(was, now);
        Judgement Bad(string why) => Judgement.Refuse($"model.{field} {why}", [field, .. names]);
        switch (field)
        {
            case "":
                return Judgement.Harmless;
            case "type":
                return !now.Present || JsonTree.IsString(now, out var type) && type == "BPE" ? Judgement.Harmless : Bad("is not BPE, the one model type the kit runs");
            case "dropout":
                return now.Node is null || JsonTree.IsFinite(now, out var p) && p == 0 ? Judgement.Harmless : Bad("asks for BPE dropout, which makes tokenizing random");
            case "unk_token":
                if (now.Node is null) return Judgement.Finite("no unknown token");
                // One the vocabulary lacks is no error in the tokenizers library until a character needs it (and byte fallback comes first).
                return JsonTree.IsString(now, out _) ? (same ? Judgement.Harmless : Judgement.Finite("another unknown token")) : Bad("is not a string");
            case "continuing_subword_prefix" or "end_of_word_suffix":
                return now.Node is null || JsonTree.IsString(now, out var affix) && affix.Length == 0 ? Judgement.Harmless : Bad("is an affix the kit does not apply");
            case "fuse_unk" or "byte_fallback" or "ignore_merges":
                if (!now.Present || now.Node is null) return same ? Judgement.Harmless : Judgement.Finite($"{field} off");
                return JsonTree.IsBool(now, out _) ? (same ? Judgement.Harmless : Judgement.Finite($"{field} changed")) : Bad("is not true or false");
            case "vocab":
                return VocabularyProblem(after) is { } vocab ? Bad(vocab) : same ? Judgement.Harmless : Judgement.Finite("another vocabulary");
            case "merges":
                return MergesProblem(after) is { } merges ? Bad(merges) : same ? Judgement.Harmless : Judgement.Finite("other merges");
            default:
                return Judgement.Harmless;
        }
    }

    private static JsonPath Path(string key) => JsonPath.Root.Member(key, new HashSet<string>());

    private static Dictionary<string, long> Vocabulary(JsonNode? root)
    {
        var vocabulary = new Dictionary<string, long>();
        if (JsonTree.Get(root, Path("model")).Node?["vocab"] is JsonObject vocab)
            foreach (var (piece, id) in vocab)
                if (JsonTree.IsWhole(new Slot(true, id), out var value)) vocabulary[piece] = value;
        return vocabulary;
    }

    private static JsonArray? Added(JsonNode? root) => JsonTree.Get(root, Path("added_tokens")).Node as JsonArray;

    // Ids run below the number of vocabulary entries plus added tokens, and below the model's embedding.
    private long Bound(JsonNode? root)
    {
        var entries = JsonTree.Get(root, Path("model")).Node?["vocab"] is JsonObject vocab ? vocab.Count : 0;
        return Math.Min(entries + (Added(root)?.Count ?? 0), modelVocabulary);
    }

    private string? VocabularyProblem(JsonNode? root)
    {
        if (JsonTree.Get(root, Path("model")).Node?["vocab"] is not JsonObject vocab) return "is not an object of pieces and ids";
        var bound = Bound(root);
        var seen = new Dictionary<long, string>();
        foreach (var (piece, id) in vocab)
        {
            if (!JsonTree.IsWhole(new Slot(true, id), out var value) || value < 0 || value >= bound)
                return $"gives \"{piece}\" the id {id?.ToJsonString() ?? "null"}, not a whole number from 0 to {bound - 1}";
            if (!seen.TryAdd(value, piece)) return $"gives \"{seen[value]}\" and \"{piece}\" the same id {value}";
        }
        return MergesProblem(root) is not null ? "lacks a piece a merge needs" : null;
    }

    private static string? MergesProblem(JsonNode? root)
    {
        if (JsonTree.Get(root, Path("model")).Node?["merges"] is not JsonArray merges) return "is not a list";
        var vocabulary = Vocabulary(root);
        var pairs = new HashSet<(string, string)>();
        foreach (var merge in merges)
        {
            string[] parts = merge switch
            {
                JsonValue when JsonTree.IsString(new Slot(true, merge), out var text) => text.Split(' '),
                JsonArray pair when pair.All(p => JsonTree.IsString(new Slot(true, p), out _)) => [.. pair.Select(p => p!.GetValue<string>())],
                _ => [],
            };
            if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Contains(' ')))
                return $"holds {merge?.ToJsonString() ?? "null"}, not a pair of pieces";
            if (!vocabulary.ContainsKey(parts[0]) || !vocabulary.ContainsKey(parts[1]) || !vocabulary.ContainsKey(parts[0] + parts[1]))
                return $"merges \"{parts[0]}\" and \"{parts[1]}\", which the vocabulary lacks (or their join)";
            if (!pairs.Add((parts[0], parts[1]))) return $"lists the merge \"{parts[0]} {parts[1]}\" twice";
        }
        return null;
    }

    private string? AddedTokens(JsonNode? root)
    {
        if (Added(root) is not { } added) return "is not a list";
        var vocabulary = Vocabulary(root);
        var byId = vocabulary.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.First().Key);
        var bound = Bound(root);
        var ids = new HashSet<long>();
        var contents = new HashSet<string>();
        foreach (var token in added)
        {
            if (token is not JsonObject entry) return "holds something other than an object";
            if (!JsonTree.IsWhole(JsonTree.Get(entry, Path("id")), out var id) || id < 0 || id >= bound) return $"an id is not a whole number from 0 to {bound - 1}";
            if (!JsonTree.IsString(JsonTree.Get(entry, Path("content")), out var content) || content.Length == 0) return $"token {id} has no content";
            foreach (var flag in new[] { "special", "lstrip", "rstrip", "single_word", "normalized" })
                if (JsonTree.Get(entry, Path(flag)) is { Present: true } value && !JsonTree.IsBool(value, out _)) return $"token {id}'s {flag} is not true or false";
            if (!ids.Add(id)) return $"the id {id} is there twice";
            if (!contents.Add(content)) return $"\"{content}\" is there twice";
            if (vocabulary.TryGetValue(content, out var vocabularyId) && vocabularyId != id) return $"\"{content}\" has id {id}, the vocabulary's {vocabularyId}";
            if (byId.TryGetValue(id, out var piece) && piece != content) return $"id {id} is \"{content}\" here and \"{piece}\" in the vocabulary";
        }
        return null;
    }
}
