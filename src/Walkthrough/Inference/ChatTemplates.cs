namespace Walkthrough.Inference;

/// <summary>
/// The common chat formats that models declare as a Jinja "chat_template" in tokenizer_config.json. The kit does not
/// run Jinja: it recognises these formats by their markers and applies the equivalent single-turn user prompt.
/// </summary>
public static class ChatTemplates
{
    private static readonly (string Marker, PromptTemplate Template)[] Recognized =
    [
        ("<|im_start|>", new PromptTemplate("chatml", "<|im_start|>user\n{instruction}<|im_end|>\n<|im_start|>assistant\n", ["<|im_end|>"])),
        ("<|start_header_id|>", new PromptTemplate("llama3",
            "<|start_header_id|>user<|end_header_id|>\n\n{instruction}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", ["<|eot_id|>"])),
        ("<|user|>", new PromptTemplate("zephyr", "<|user|>\n{instruction}</s>\n<|assistant|>\n", ["</s>"])),
        ("<<SYS>>", new PromptTemplate("llama2", "[INST] {instruction} [/INST]", [])),
        ("[INST]", PromptTemplate.Mistral),
    ];

    public static IEnumerable<string> Names => Recognized.Select(r => r.Template.Name).Distinct().Where(n => n != "mistral");

    internal static PromptTemplate? Named(string name) => Recognized.Select(r => r.Template).FirstOrDefault(t => t.Name == name);

    /// <summary>The format a Jinja chat template uses, or null when it is none of the common ones.</summary>
    public static PromptTemplate? Recognize(string? jinja) =>
        jinja is null ? null : Recognized.FirstOrDefault(r => jinja.Contains(r.Marker, StringComparison.Ordinal)).Template;
}
