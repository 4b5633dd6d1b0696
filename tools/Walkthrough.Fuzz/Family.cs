namespace Walkthrough.Fuzz;

/// <summary>The kinds of input the kit reads, each fuzzed on its own.</summary>
internal enum Family
{
    Config,            // config.json
    Safetensors,       // model.safetensors: length prefix, JSON header, data
    Shards,            // model.safetensors.index.json and the shard files it names
    Tokenizer,         // tokenizer.json
    TokenizerConfig,   // tokenizer_config.json
    SentencePiece,     // tokenizer.model, read when there is no tokenizer.json
    Cli,               // the command line's own arguments (--model "", a file for a folder)
}

internal static class FamilyNames
{
    public static readonly Family[] All = Enum.GetValues<Family>();

    public static string Name(this Family family) => family switch
    {
        Family.Config => "config.json",
        Family.Safetensors => "model.safetensors",
        Family.Shards => "shards (index.json)",
        Family.Tokenizer => "tokenizer.json",
        Family.TokenizerConfig => "tokenizer_config.json",
        Family.SentencePiece => "tokenizer.model",
        _ => "command line",
    };

    public static Family Parse(string name) =>
        All.Where(f => string.Equals(f.ToString(), name, StringComparison.OrdinalIgnoreCase) || f.Name() == name).Cast<Family?>().FirstOrDefault()
        ?? throw new ArgumentException($"No family \"{name}\": choose from {string.Join(", ", All.Select(f => f.ToString().ToLowerInvariant()))}.");
}
