namespace Walkthrough.Train.Corpus;

/// <summary>
/// Family 3: short explanations built from the facts of <see cref="ExplanationTopic"/>: a few facts of one topic
/// in their teaching order, sometimes with a question or title before them and a summary after, or a short chain
/// across topics ("how an LLM answers a prompt").
/// </summary>
internal static class Explanations
{
    /// <summary>Topics in the order a prompt meets them on its way to an answer, and the hardware pair.</summary>
    private static readonly (Topic[] Topics, string[] Titles)[] Chains =
    [
        ([Topic.Prompts, Topic.Tokenizers, Topic.Tokens, Topic.LanguageModels, Topic.NextToken, Topic.Temperature, Topic.KvCache],
         ["How an LLM answers a prompt", "From prompt to answer", "What happens when a model answers", ""]),
        ([Topic.LanguageModels, Topic.Gpus, Topic.Memory],
         ["Why LLMs need big GPUs", "Models and memory", "Running a large model", ""]),
    ];

    private static readonly string[] Connectors = ["Also, ", "In addition, "];

    /// <summary>First words after which "Also, " would read badly.</summary>
    private static readonly string[] NoConnectorBefore =
    [
        "For", "Because", "So", "This", "Those", "It", "Without", "With", "In", "K", "Given", "At", "Before", "When", "To", "On", "One",
    ];

    private static readonly (string Name, int Tenths, string PerParameter)[] Formats =
    [
        ("float32", 40, "4 bytes"), ("float16", 20, "2 bytes"), ("bfloat16", 20, "2 bytes"), ("16-bit", 20, "2 bytes"),
        ("int8", 10, "1 byte"), ("8-bit", 10, "1 byte"), ("4-bit", 5, "half a byte"),
    ];

    private static readonly int[] Billions = [1, 2, 3, 7, 8, 13, 30, 70];

    public static string Write(CorpusRandom random) =>
        random.Percent(18) ? Chain(random) : Write(random, random.Pick(ExplanationTopic.All), random.Between(2, 6));

    /// <summary>An explanation of one topic: an optional opening, that many facts, an optional summary.</summary>
    public static string Write(CorpusRandom random, ExplanationTopic topic, int sentences)
    {
        var body = Body(random, topic, sentences, startWithDefinition: random.Percent(85));
        if (random.Percent(25)) body.Add(Phrase.Expand(random, random.Pick(topic.Summaries)));
        var text = random.Percent(12) && body.Count >= 4
            ? CorpusText.Sentences(body.Take(body.Count / 2)) + "\n\n" + CorpusText.Sentences(body.Skip(body.Count / 2))
            : CorpusText.Sentences(body);
        return random.Below(100) switch
        {
            < 35 => text,
            < 60 => random.Pick(topic.Questions) + (random.Percent(50) ? "\n" : " ") + text,
            < 75 => random.Pick(topic.Titles) + "\n" + text,
            < 90 => Phrase.Expand(random, "Here is a [short|simple|quick] explanation of {0}.", topic.Subject) + " " + text,
            _ => "Q: " + random.Pick(topic.Questions) + "\nA: " + text,
        };
    }

    /// <summary>count facts of the topic in teaching order; the first one (the definition) when asked.</summary>
    public static List<string> Body(CorpusRandom random, ExplanationTopic topic, int count, bool startWithDefinition)
    {
        count = Math.Min(count, topic.Facts.Length);
        var picked = startWithDefinition
            ? [0, .. random.OrderedSubset(topic.Facts.Length - 1, count - 1).Select(i => i + 1)]
            : random.OrderedSubset(topic.Facts.Length, count);
        var sentences = new List<string>();
        var connected = false; // never two connectors in a row
        foreach (var index in picked)
        {
            var sentence = Fact(random, topic.Facts[index]);
            var firstWord = sentence.Split(' ', ',')[0];
            connected = sentences.Count > 0 && !connected && random.Percent(12) && !NoConnectorBefore.Contains(firstWord);
            if (connected) sentence = random.Pick(Connectors) + CorpusText.AfterConnector(sentence);
            sentences.Add(sentence);
        }
        return sentences;
    }

    private static string Fact(CorpusRandom random, string template) =>
        template == ExplanationTopic.MemoryArithmetic ? MemoryArithmetic(random) : Phrase.Expand(random, template);

    /// <summary>A sentence whose numbers are computed: parameters × bytes per parameter, in GB of 10^9 bytes.</summary>
    public static string MemoryArithmetic(CorpusRandom random)
    {
        var billions = random.Pick(Billions);
        var (format, tenths, perParameter) = random.Pick(Formats);
        var gigabytes = CorpusText.Decimal(billions * tenths);
        var count = CorpusText.Number(billions);
        return random.Below(3) switch
        {
            0 => Phrase.Expand(random, "A model with {0} billion parameters needs about {1} GB [for its weights |]in {2}.", count, gigabytes, format),
            1 => Phrase.Expand(random, "In {2}, {0} billion parameters take about {1} GB.", count, gigabytes, format),
            _ => Phrase.Expand(random, "{0} billion parameters at {3} each [come to|make] about {1} GB.", count, gigabytes, format, perParameter),
        };
    }

    /// <summary>Two or three neighbouring topics of a chain, one or two facts each.</summary>
    private static string Chain(CorpusRandom random)
    {
        var (chain, titles) = random.Pick(Chains);
        var length = Math.Min(chain.Length, random.Between(2, 3));
        var start = random.Below(chain.Length - length + 1);
        var sentences = new List<string>();
        foreach (var topic in chain.Skip(start).Take(length))
            sentences.AddRange(Body(random, ExplanationTopic.For(topic), random.Between(1, 2), startWithDefinition: true));
        var title = random.Pick(titles);
        var text = CorpusText.Sentences(sentences);
        return title.Length == 0 ? text : title + "\n" + text;
    }
}
