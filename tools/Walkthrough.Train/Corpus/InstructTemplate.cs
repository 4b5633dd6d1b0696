namespace Walkthrough.Train.Corpus;

/// <summary>
/// The MPT instruct prompt template, as the model is trained on it and as it must be prompted.
/// </summary>
public static class InstructTemplate
{
    /// <summary>
    /// The template of the seed blog's get_prompt() (shared/seeds/000_35f13a7af5136493.txt, "Crafting the Prompt",
    /// for mosaicml/mpt-30b-instruct), dedented, with its first two lines joined, its blank lines and trailing
    /// spaces dropped, and the response slot added. One "\n" after each line; the response ends the document.
    /// Written with "\n" escapes, not a raw literal, so a CRLF checkout cannot change it.
    /// </summary>
    public const string Mpt =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n" +
        "### Instruction\n" +
        "{instruction}\n" +
        "### Response\n" +
        "{response}";

    /// <summary>Everything before the instruction: what every instruct document starts with.</summary>
    public const string Preamble = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n### Instruction\n";

    /// <summary>The prompt to give the model: the template up to and including "### Response\n".</summary>
    public static string Prompt(string instruction) => Format(instruction, "");

    /// <summary>A whole training document: the prompt followed by its response.</summary>
    public static string Format(string instruction, string response) =>
        Mpt.Replace("{instruction}", instruction, StringComparison.Ordinal).Replace("{response}", response, StringComparison.Ordinal);
}
