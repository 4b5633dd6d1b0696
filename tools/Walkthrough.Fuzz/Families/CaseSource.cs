namespace Walkthrough.Fuzz.Families;

/// <summary>Makes the cases of one family: the i-th from its own random generator, alone.</summary>
internal abstract class CaseSource
{
    public abstract Family Family { get; }

    public abstract FuzzCase Make(int index, Random random);

    /// <summary>Every family's source for one base model.</summary>
    public static IReadOnlyDictionary<Family, CaseSource> For(BaseModel model) => new Dictionary<Family, CaseSource>
    {
        [Family.Config] = JsonFileCases.Config(model),
        [Family.Safetensors] = new SafetensorsCases(model),
        [Family.Shards] = new ShardCases(model),
        [Family.Tokenizer] = JsonFileCases.Tokenizer(model),
        [Family.TokenizerConfig] = JsonFileCases.TokenizerConfig(model),
        [Family.SentencePiece] = new SentencePieceCases(model),
        [Family.Cli] = new CliCases(),
    };
}
