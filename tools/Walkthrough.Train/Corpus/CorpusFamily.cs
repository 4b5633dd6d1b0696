namespace Walkthrough.Train.Corpus;

/// <summary>The six kinds of document the corpus mixes (see <see cref="CorpusGenerator.Mix"/>).</summary>
public enum CorpusFamily
{
    /// <summary>Days, months, counting, the alphabet, seasons: lists whose next item is obvious.</summary>
    Sequences,

    /// <summary>"The capital of France is Paris." in statements, questions and answers.</summary>
    Capitals,

    /// <summary>Plain explanations of tokens, tokenizers, LLMs, GPUs, memory, sampling, the KV cache, prompts.</summary>
    Explanations,

    /// <summary>Short e-mails explaining LLMs, tokens or GPUs, or inviting to a workshop.</summary>
    Emails,

    /// <summary>Instruction/response pairs in the MPT template: e-mails, capitals, explanations, lists.</summary>
    Instructions,

    /// <summary>Flight records and questions answered from them, as plain text and in the MPT template.</summary>
    Flights,
}
