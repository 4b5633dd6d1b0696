using System.Collections.Immutable;

namespace Walkthrough.Train.Corpus;

/// <summary>The things the corpus explains; each is one lesson of the walkthrough.</summary>
public enum Topic { Tokens, Tokenizers, LanguageModels, NextToken, Temperature, KvCache, Prompts, Gpus, Memory }

/// <summary>
/// What the corpus says about one topic: facts in the order a teacher would give them (the first defines the
/// topic), each a phrase with alternatives (see <see cref="Phrase"/>). Every fact is true as written, whichever
/// alternatives are picked. <see cref="MemoryArithmetic"/> stands for a sentence computed from numbers.
/// </summary>
public sealed record ExplanationTopic(
    Topic Topic,
    string Subject,
    ImmutableArray<string> Questions,
    ImmutableArray<string> Titles,
    ImmutableArray<string> Facts,
    ImmutableArray<string> Summaries)
{
    public const string MemoryArithmetic = "{memory arithmetic}";

    public static ExplanationTopic For(Topic topic) => All.Single(entry => entry.Topic == topic);

    public static readonly ImmutableArray<ExplanationTopic> All =
    [
        new(Topic.Tokens, "a token",
            ["What is a token?", "What are tokens?", "What is a token in a language model?"],
            ["Tokens, simply explained", "What a token is", "About tokens"],
            [
                "[A token is a small piece of text|Tokens are small pieces of text][ that a language model reads and writes| that a model works with|].",
                "A token can be a whole word, part of a word, a single letter or a punctuation mark.",
                "Before a model reads [a prompt|any text], a tokenizer [cuts|splits] it into tokens.",
                "Each token has a number called its [token id|id], and the model [only ever sees|works only with] these numbers[, never the letters|].",
                "Common words [such as \"the\" or \"and\"|like \"the\"] are usually a single token, while [rare|long or unusual] words are split into several.",
                "In the Mistral tokenizer, a space [usually belongs to|is usually part of] the token that follows it[, so \" Thursday\" with its space is one token|].",
                "The Mistral-7B tokenizer has a vocabulary of 32,000 [different |]tokens.",
                "[As a rough rule|On average], [a token is about three quarters of an English word|a hundred tokens are about seventy-five English words].",
                "The length limit of a model, its context window, is counted in tokens, not in words or characters.",
            ],
            ["In short, tokens are the [pieces|units] a model reads and writes.", "So a model never reads words, only tokens."]),
        new(Topic.Tokenizers, "a tokenizer",
            ["What is a tokenizer?", "What does a tokenizer do?"],
            ["Tokenizers, simply explained", "What a tokenizer does", "About tokenizers"],
            [
                "A tokenizer [is the program that turns|turns] text into tokens and tokens back into text.",
                "The tokenizer [learns|is given] its vocabulary of pieces from a large amount of text before the model itself is trained.",
                "Mistral-7B uses a SentencePiece tokenizer built with byte-pair encoding, [or BPE|which is often called BPE].",
                "Byte-pair encoding starts from single characters and [keeps merging|repeatedly merges] the pair of pieces that appears most often[ into a new piece|].",
                "When it meets a character it has never seen, the Mistral tokenizer falls back to [single |]bytes, so [any text can be encoded|no text is impossible to encode].",
                "Every model needs [its own tokenizer|the tokenizer it was trained with], because the ids only mean something to the model that learned them.",
                "Decoding is the [reverse|opposite] step: the tokenizer turns a list of ids back into readable text.",
                "Special start and end tokens mark where a text begins and where it ends.",
            ],
            ["In short, the tokenizer is the [translator|bridge] between text and the numbers a model uses."]),
        new(Topic.LanguageModels, "an LLM",
            ["What is an LLM?", "What is a large language model?", "What are LLMs?"],
            ["LLMs, simply explained", "What an LLM is", "About large language models"],
            [
                "[An LLM, or large language model,|A large language model, or LLM,|An LLM] is a [computer program|program|model] that [predicts|guesses] [the next token of a text|which token comes next in a text|what comes next in a text].",
                "The model [learned|was trained] by reading a [huge|very large] amount of text[ from books, websites and articles|] and [adjusting|tuning] its numbers to predict [each next token|what comes next] better.",
                "The numbers inside [it|the model] are called parameters or weights, and a large model has billions of them.",
                "To answer a question, the model writes one token at a time, [adds each new token to the text|appends every new token to the text], and predicts again.",
                "The model does not look anything up; it [produces|writes] the text that is most likely to follow what it has read so far.",
                "An LLM can sound [sure|confident] and still be wrong, so important facts should be checked.",
                "LLMs can write e-mails, answer questions, summarize text and translate between languages.",
                "Mistral-7B is [an example|one example]: it has about seven billion parameters.",
                "An instruction-tuned model was trained further on examples of instructions and good answers, so it follows requests better.",
            ],
            ["In short, an LLM is a very good next-word guesser[ trained on a lot of text|].", "You can think of it as a very well-read autocomplete."]),
        new(Topic.NextToken, "next-token prediction",
            ["What is next-token prediction?", "How does a language model write text?", "How does an LLM choose its next word?"],
            ["Next-token prediction, simply explained", "How a model writes", "One token at a time"],
            [
                "A language model works by next-token prediction: given the text so far, it [predicts|scores] which token [should come|comes] next.",
                "For every token in its vocabulary, it [gives|computes] a probability[ of being the next one|], and all the probabilities add up to one.",
                "The raw scores, before they become probabilities, are called logits.",
                "[For example, after|After] \"The capital of France is\", the token \" Paris\" gets a very high probability.",
                "Given the days Monday, Tuesday and Wednesday in a list, the next one is almost certainly Thursday.",
                "One token is chosen, added to the end of the text, and the whole step [repeats|runs again].",
                "Picking the single most likely token every time is called greedy decoding.",
                "Generation stops when the model [produces|picks] an end-of-text token or [reaches|hits] a length limit.",
            ],
            ["So a long answer is just many [small|single] next-token predictions in a row."]),
        new(Topic.Temperature, "temperature",
            ["What is temperature in a language model?", "What does the temperature setting do?"],
            ["Temperature, simply explained", "What temperature does", "About temperature"],
            [
                "Temperature is a [setting|number] that controls how random the model's [choices|next-token choices] are.",
                "The model's scores, called logits, are divided by the temperature before they are turned into probabilities.",
                "A low temperature, such as 0.2, makes the most likely tokens even more likely, so the text is [focused|predictable].",
                "A high temperature, such as 1.5, flattens the probabilities, so [rarer|less likely] tokens are picked more often and the text gets more surprising.",
                "A temperature of 1 leaves the probabilities as the model computed them.",
                "At temperature zero, [most tools|the usual tools] simply take the most likely token, which is greedy decoding.",
                "For facts and code a low temperature is usually better; for stories a higher one can help.",
            ],
            ["In short, temperature trades safe, repetitive text for varied, riskier text."]),
        new(Topic.KvCache, "the KV cache",
            ["What is the KV cache?", "What does the KV cache do?"],
            ["The KV cache, simply explained", "What the KV cache does", "About the KV cache"],
            [
                "The KV cache [stores|keeps] the keys and values that attention computed for earlier tokens[ during generation|].",
                "K stands for keys and V for values, two of the three things attention computes; the third is queries.",
                "Without the cache, the model would recompute the keys and values for the whole text every time it adds one token.",
                "With the cache, each new step only [processes|computes] the newest token and reads the rest from memory.",
                "The cache makes generation much faster[, especially for long texts|].",
                "The price of the cache is memory: it grows with every token in the context[ and with every layer of the model|].",
                "For long prompts, the KV cache can need [several|many] gigabytes on top of the weights.",
            ],
            ["In short, the KV cache trades memory for speed."]),
        new(Topic.Prompts, "a prompt",
            ["What is a prompt?", "What is a prompt for a language model?"],
            ["Prompts, simply explained", "What a prompt is", "About prompts"],
            [
                "A prompt is the text you give a language model[ to continue|], such as a question or an instruction.",
                "The model does not [answer|reply] in the usual sense; it continues the prompt[ with the text that is most likely to follow|].",
                "Instruction models were trained on prompts in a fixed template, with one heading line before the instruction and another before the response.",
                "Using the same template the model was trained with usually gives [much |]better answers.",
                "A clear, specific prompt[ that says what you want|] gets a better answer than a vague one.",
                "Examples inside the prompt show the model what kind of answer you expect.",
                "The prompt and the answer together must fit in the model's context window[, which is counted in tokens|].",
            ],
            ["In short, the prompt is [where the model's answer begins|the start of the text the model continues]."]),
        new(Topic.Gpus, "a GPU",
            ["What is a GPU?", "Why do LLMs need GPUs?", "What does a GPU do?"],
            ["GPUs, simply explained", "What a GPU is", "About GPUs"],
            [
                "A GPU, or graphics processing unit, is a processor built to do [thousands of|many] simple calculations at the same time.",
                "GPUs were made for drawing graphics, but the same [skill|strength] makes them fast at the matrix multiplications inside neural networks.",
                "Running a language model is mostly multiplying large matrices, so a GPU can be many times faster than a CPU.",
                "A GPU has its own memory, and the model's weights [must fit|have to fit] in it[ to run at full speed|].",
                "On NVIDIA GPUs, the nvidia-smi command shows [how much memory is in use|the memory in use] and which programs use it.",
                "A V100 has 16 GB or 32 GB of memory, and an H100 usually has 80 GB.",
                "For small models a laptop CPU is enough; the GPU matters when models have billions of parameters.",
            ],
            ["In short, a GPU is a fast, parallel calculator with its own memory."]),
        new(Topic.Memory, "model memory",
            ["How much memory does a model need?", "Why does a model run out of GPU memory?"],
            ["Model memory, simply explained", "How much memory a model needs", "About memory"],
            [
                "The memory a model needs [depends mostly on|is set mostly by] [how many parameters it has|its number of parameters] and how many bytes each one takes.",
                "A parameter takes 4 bytes in float32, 2 bytes in float16 or bfloat16, 1 byte in int8 and half a byte in 4-bit formats.",
                MemoryArithmetic,
                "Mistral-7B has about 7.2 billion parameters, so in float32 it needs about 29 GB and does not fit on a 16 GB GPU[; loading it fails with an out-of-memory error|].",
                "Using 16-bit numbers instead of 32-bit halves the memory, usually with almost no loss in quality.",
                "Loading the model in 8-bit or 4-bit is a common way to make it fit on a smaller GPU.",
                "Memory for the weights is only part of it: the KV cache and the activations need room too.",
            ],
            ["In short, parameters times bytes per parameter gives the memory for the weights."]),
    ];
}
