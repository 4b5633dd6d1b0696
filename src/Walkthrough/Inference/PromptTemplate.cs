namespace Walkthrough.Inference;

/// <summary>
/// The wrapping an instruction-tuned model expects around a request — it was trained on text shaped exactly so.
/// <code>PromptTemplate.MptInstruct.Apply("Can you write an email explaining what an LLM is?")</code>
/// </summary>
public sealed record PromptTemplate(string Name, string Format, IReadOnlyList<string> StopStrings)
{
    private const string Slot = "{instruction}";

    /// <summary>
    /// The instruct template of the seed's MPT-30B-instruct walkthrough, its Python indentation removed. The model
    /// writes its answer after "### Response"; a new "### Instruction" means the answer is over.
    /// </summary>
    public static readonly PromptTemplate MptInstruct = new("mpt-instruct",
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n" +
        "### Instruction\n{instruction}\n### Response\n",
        ["### Instruction"]);

    /// <summary>Mistral-7B-Instruct's format; the tokenizer adds the &lt;s&gt; in front.</summary>
    public static readonly PromptTemplate Mistral = new("mistral", "[INST] {instruction} [/INST]", []);

    /// <summary>No wrapping: the text is continued as it is.</summary>
    public static readonly PromptTemplate None = new("none", Slot, []);

    public static IReadOnlyList<PromptTemplate> Known { get; } = [MptInstruct, Mistral, None];

    public string Apply(string instruction) => Format.Replace(Slot, instruction, StringComparison.Ordinal);

    /// <summary>A template by name (mpt-instruct, mistral, none, or a chat format found in tokenizer_config.json).</summary>
    public static PromptTemplate Named(string name) =>
        Known.FirstOrDefault(t => t.Name == name) ?? ChatTemplates.Named(name)
        ?? throw new WalkthroughException(
            $"Unknown prompt template \"{name}\": use one of {string.Join(", ", Known.Select(t => t.Name).Concat(ChatTemplates.Names))}.");
}
