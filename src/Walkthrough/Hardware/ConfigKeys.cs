using Walkthrough.Checkpoints;

namespace Walkthrough.Hardware;

/// <summary>
/// Checks that a config holds the numbers the planner needs, and names them as that architecture's config.json
/// does (Llama's hidden_size is MPT's d_model and GPT-2's n_embd), so the learner knows which key to fix.
/// </summary>
internal static class ConfigKeys
{
    public static void RequirePositive(ModelConfig c)
    {
        var names = Names(c.Architecture);
        var bad = new List<string>();
        void Check(string key, long value)
        {
            if (value <= 0) bad.Add($"{key} = {value}");
        }
        Check(names.Vocabulary, c.VocabularySize);
        Check(names.Hidden, c.HiddenSize);
        Check(names.Layers, c.Layers);
        Check(names.Heads, c.Heads);
        Check(names.KeyValueHeads, c.KeyValueHeads);
        Check("head_dim", c.HeadDim);
        Check(names.Intermediate, c.IntermediateSize);
        Check(names.Positions, c.MaxPositions);
        if (bad.Count > 0)
            throw new WalkthroughException(
                $"{c.ModelType} config: {string.Join(", ", bad)} — counting parameters needs each of these to be a positive number; check config.json.");
        if (c.Heads % c.KeyValueHeads != 0)
            throw new WalkthroughException(
                $"{c.ModelType} config: {names.Heads} = {c.Heads} is not a multiple of {names.KeyValueHeads} = {c.KeyValueHeads}; every key/value head must serve the same number of query heads.");
    }

    private sealed record KeyNames(string Vocabulary, string Hidden, string Layers, string Heads, string KeyValueHeads, string Intermediate, string Positions);

    private static KeyNames Names(Architecture architecture) => architecture switch
    {
        Architecture.Mpt => new("vocab_size", "d_model", "n_layers", "n_heads", "n_heads", "expansion_ratio × d_model", "max_seq_len"),
        Architecture.Gpt2 => new("vocab_size", "n_embd", "n_layer", "n_head", "n_head", "n_inner", "n_positions"),
        _ => new("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings"),
    };
}
