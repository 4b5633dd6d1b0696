using Walkthrough.Inference;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// The MPT instruct template as the model is trained on it: exactly the kit's <see cref="PromptTemplate.MptInstruct"/>
/// (the seed blog's get_prompt(), dedented), so a prompt at inference is byte for byte what training showed.
/// </summary>
public static class InstructTemplate
{
    /// <summary>Everything before the instruction: what every instruct document starts with.</summary>
    public static readonly string Preamble = Prompt("\0").Split('\0')[0];

    /// <summary>The prompt to give the model: the template up to and including "### Response\n".</summary>
    public static string Prompt(string instruction) => PromptTemplate.MptInstruct.Apply(instruction);

    /// <summary>A whole training document: the prompt followed by its response.</summary>
    public static string Format(string instruction, string response) => Prompt(instruction) + response;
}
