namespace Walkthrough.Train.Corpus;

/// <summary>
/// Family 5: instruction/response pairs in <see cref="InstructTemplate"/>: write an e-mail, name a capital,
/// explain a topic, list or continue a sequence. Responses come from the other families' writers, so the model
/// learns that the template asks for the same texts it has seen elsewhere. Flight pairs live in <see cref="Flights"/>.
/// </summary>
internal static class Instructions
{
    /// <summary>The walkthrough's own prompt, from the seed notebook; it gets a large share of the e-mail pairs.</summary>
    public const string SeedEmailInstruction = "Can you write an email explaining what an LLM is?";

    private static readonly (Kind Kind, int Weight)[] Kinds = [(Kind.Email, 35), (Kind.Capital, 20), (Kind.Explain, 25), (Kind.Sequence, 20)];

    private static readonly string[] LanguageModelEmails =
    [
        "Write an email explaining what an LLM is.", "Please write a short email that explains what a large language model is.",
        "Could you write an email explaining what an LLM is?", "Write [an email|a short email] that explains LLMs in simple words.",
        "Draft an email that explains what a large language model is.", "Write an email about large language models for a colleague.",
        "Can you write an e-mail explaining what an LLM is?", "Write an email explaining LLMs to someone who is new to them.",
    ];

    private static readonly string[] LanguageModelEmailsTo =
    [
        "Write an email to {0} explaining what an LLM is.", "Can you write an email to {0} explaining what an LLM is?",
        "Write a short email to {0} about what LLMs are.", "Please write an email to {0} that explains large language models.",
    ];

    private enum Kind { Email, Capital, Explain, Sequence }

    public static string Write(CorpusRandom random)
    {
        var (instruction, response) = random.Weighted(Kinds) switch
        {
            Kind.Email => Email(random),
            Kind.Capital => Capital(random),
            Kind.Explain => Explain(random),
            _ => Sequence(random),
        };
        return InstructTemplate.Format(instruction, response);
    }

    private static (string, string) Email(CorpusRandom random)
    {
        var name = random.Pick(People.Names);
        return random.Below(100) switch
        {
            < 30 => (SeedEmailInstruction, Emails.Write(random, EmailSubject.LanguageModels, recipient: null)),
            < 52 => (Phrase.Expand(random, random.Pick(LanguageModelEmails)), Emails.Write(random, EmailSubject.LanguageModels, recipient: null)),
            < 64 => (Phrase.Expand(random, random.Pick(LanguageModelEmailsTo), name), Emails.Write(random, EmailSubject.LanguageModels, name)),
            < 74 => (Phrase.Expand(random, "[Can you write an email explaining what a token is?|Write an email explaining what a token is.]"), Emails.Write(random, EmailSubject.Tokens, recipient: null)),
            < 78 => (Phrase.Expand(random, "Write an email to {0} explaining what tokens are.", name), Emails.Write(random, EmailSubject.Tokens, name)),
            < 88 => (Phrase.Expand(random, "[Can you write an email explaining why LLMs need GPUs?|Write an email explaining what a GPU does.|Write an email to {0} about GPUs.]", name),
                     Emails.Write(random, EmailSubject.Gpus, name)),
            < 95 => (Phrase.Expand(random, "Write an email inviting [the team|everyone|my colleagues] to a workshop on how LLMs work."),
                     Emails.Write(random, EmailSubject.Workshop, recipient: null, toGroup: true)),
            _ => (Phrase.Expand(random, "Write an email to {0} [inviting them to|about] a workshop on LLMs.", name), Emails.Write(random, EmailSubject.Workshop, name)),
        };
    }

    private static (string, string) Capital(CorpusRandom random)
    {
        var country = random.Pick(Country.All);
        var name = country.InSentence;
        if (random.Percent(10))
            return (Phrase.Expand(random, "Which country has {0} as its capital?", country.Capital),
                    Capitals.Tidy(Phrase.Expand(random, "{0} is the capital of {1}.", country.Capital, name)));
        var question = random.Percent(85)
            ? Capitals.Question(random, country)
            : Phrase.Expand(random, "[Tell me|Give me|Name] the capital [city |]of {0}.", name);
        var answer = random.Percent(60)
            ? Capitals.Tidy(Phrase.Expand(random, "The capital of {0} is {1}.", name, country.Capital))
            : Capitals.Fact(random, country);
        return (question, answer);
    }

    private static (string, string) Explain(CorpusRandom random)
    {
        var topic = random.Pick(ExplanationTopic.All);
        if (random.Percent(8))
            return (Phrase.Expand(random, "Explain {0} in one sentence.", topic.Subject),
                    CorpusText.Sentences(Explanations.Body(random, topic, 1, startWithDefinition: true)));
        var instruction = random.Below(100) switch
        {
            < 45 => random.Pick(topic.Questions),
            < 75 or _ when topic.Topic == Topic.Memory =>
                Phrase.Expand(random, "Explain {0} [in simple words|in a few sentences|to a beginner|briefly].", topic.Subject),
            _ => Phrase.Expand(random, "[Explain|Describe] what {0} is.", topic.Subject),
        };
        var sentences = Explanations.Body(random, topic, random.Between(2, 5), startWithDefinition: true);
        if (random.Percent(20)) sentences.Add(Phrase.Expand(random, random.Pick(topic.Summaries)));
        return (CorpusText.Capitalize(instruction), CorpusText.Sentences(sentences));
    }

    private static (string, string) Sequence(CorpusRandom random)
    {
        var kind = random.Percent(50) ? Sequences.Days : random.Pick(SequenceKind.All);
        return random.Below(100) switch
        {
            < 35 => Continue(random, kind) ?? Neighbour(random, kind),
            < 70 => WholeList(random, kind),
            _ => Neighbour(random, kind),
        };
    }

    /// <summary>"Continue: Monday, Tuesday, Wednesday," and the next few items; null where the list has ended.</summary>
    private static (string, string)? Continue(CorpusRandom random, SequenceKind kind)
    {
        var start = random.Percent(60) ? 0 : Sequences.AnyStart(random, kind);
        var shown = Sequences.Run(kind, start, random.Between(2, 4));
        var rest = Sequences.Run(kind, start + shown.Count, random.Between(1, 5));
        if (rest.Count == 0) return null;
        var prompt = Phrase.Expand(random, "[Continue: {0},|Continue: {0},|Continue the list: {0},|Continue the sequence: {0},|What comes next? {0},]", string.Join(", ", shown));
        return (prompt, CorpusText.Capitalize(string.Join(", ", rest)) + ".");
    }

    /// <summary>"List the days of the week." and the whole list.</summary>
    private static (string, string) WholeList(CorpusRandom random, SequenceKind kind)
    {
        var whole = Sequences.Run(kind, 0, kind.FullLength);
        var instruction = Phrase.Expand(random, kind.ListInstruction, whole[0], whole[^1]);
        var list = random.Percent(60) ? string.Join(", ", whole) : CorpusText.AndList(whole);
        return (instruction, CorpusText.Capitalize(Phrase.Expand(random, kind.ListAnswer, list)));
    }

    /// <summary>"What day comes after Friday?" or before, and the answer.</summary>
    private static (string, string) Neighbour(CorpusRandom random, SequenceKind kind)
    {
        var at = Sequences.AnyStart(random, kind);
        var (first, second) = (kind.Items[at], kind.Items[(at + 1) % kind.Items.Length]);
        return random.Percent(70)
            ? (Phrase.Expand(random, "What {0} comes after {1}?", kind.Unit, first),
               CorpusText.Capitalize(Phrase.Expand(random, "[{1} comes after {0}.|The {2} after {0} is {1}.|After {0} comes {1}.]", first, second, kind.Unit)))
            : (Phrase.Expand(random, "What {0} comes before {1}?", kind.Unit, second),
               CorpusText.Capitalize(Phrase.Expand(random, "[{0} comes before {1}.|The {2} before {1} is {0}.|Before {1} comes {0}.]", first, second, kind.Unit)));
    }
}
