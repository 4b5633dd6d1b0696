namespace Walkthrough.Train.Corpus;

/// <summary>What an e-mail is about: one of the explained topics, or an invitation to a workshop.</summary>
public enum EmailSubject { LanguageModels, Tokens, Gpus, Workshop }

/// <summary>
/// Family 4: short e-mails. A greeting, a sentence saying why the e-mail comes, two to four sentences of
/// explanation (from <see cref="ExplanationTopic"/>, always starting with the definition) or of workshop details, maybe a closing line, a sign-off
/// and a name; sometimes a subject line first.
/// </summary>
internal static class Emails
{
    private static readonly (EmailSubject Subject, int Weight)[] Subjects =
    [
        (EmailSubject.LanguageModels, 55), (EmailSubject.Tokens, 15), (EmailSubject.Gpus, 15), (EmailSubject.Workshop, 15),
    ];

    private static readonly string[] Greetings = ["Dear {0},", "Hi {0},", "Hello {0},", "Dear {0},", "Hi {0},"];

    private static readonly string[] GroupGreetings = ["Hi everyone,", "Hello team,", "Dear colleagues,", "Hi all,"];

    private static readonly string[] Openers =
    [
        "You asked me what {0} is, so here is a short explanation.", "Thanks for your question about {2}.",
        "As promised, here is a [quick|short] explanation of what {0} is.", "Here is a short answer to your question about {1}.",
        "[I wanted to|Let me] explain what people mean when they talk about {1}.", "Since {1} came up in our meeting, here is a simple explanation.",
        "You wanted to know more about {1}, so here is the short version.",
    ];

    private static readonly string[] Closers =
    [
        "I hope this helps.", "Let me know if you have any questions.", "Happy to explain more [over coffee|in our next meeting|any time].",
        "If you want, I can show you a small example next week.", "Feel free to send me more questions.",
    ];

    private static readonly string[] WorkshopClosers =
    [
        "Let me know if you have any questions.", "[Hope|I hope] to see you there.", "Looking forward to seeing you there.",
    ];

    private static readonly string[] SignOffs = ["Best regards,", "Kind regards,", "Best,", "Thanks,", "Cheers,", "All the best,", "Many thanks,", "Warm regards,"];

    private static readonly string[] WorkshopDetails =
    [
        "We will look at [tokens, GPU memory and how a model picks the next word|how text becomes tokens and how a model predicts the next one|what happens inside an LLM when it answers a prompt].",
        "You do not need a GPU; everything runs on a laptop.",
        "Please bring a laptop[ with the .NET SDK installed|].",
        "The session takes about [an hour|ninety minutes|two hours].",
        "No experience with machine learning is needed.",
        "Coffee and snacks will be there.",
    ];

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

    public static string Write(CorpusRandom random) => Write(random, random.Weighted(Subjects), recipient: null);

    /// <summary>
    /// An e-mail on the subject: to the recipient when one is named, to a group when toGroup, else to a random
    /// person (most of the time) or group.
    /// </summary>
    public static string Write(CorpusRandom random, EmailSubject subject, string? recipient, bool toGroup = false)
    {
        var (sender, someone) = People.Pair(random);
        if (recipient == sender) sender = someone;
        if (toGroup) recipient = null;
        else recipient ??= random.Percent(88) ? someone : null;
        var greeting = recipient is null ? random.Pick(GroupGreetings) : Phrase.Expand(random, random.Pick(Greetings), recipient);

        var body = subject == EmailSubject.Workshop ? Workshop(random) : Explanation(random, subject);
        if (random.Percent(70)) body.Add(Phrase.Expand(random, random.Pick(subject == EmailSubject.Workshop ? WorkshopClosers : Closers)));
        var paragraphs = random.Percent(20) && body.Count >= 4
            ? CorpusText.Sentences(body.Take(body.Count / 2)) + "\n\n" + CorpusText.Sentences(body.Skip(body.Count / 2))
            : CorpusText.Sentences(body);

        var email = greeting + "\n\n" + paragraphs + "\n\n" + random.Pick(SignOffs) + "\n" + sender;
        return random.Percent(30) ? "Subject: " + SubjectLine(random, subject) + "\n\n" + email : email;
    }

    /// <summary>Why the e-mail comes, then two to four facts of the topic starting with its definition.</summary>
    private static List<string> Explanation(CorpusRandom random, EmailSubject subject)
    {
        var (topic, singular, plural, spelledOut) = subject switch
        {
            EmailSubject.Tokens => (Topic.Tokens, "a token", "tokens", "tokens"),
            EmailSubject.Gpus => (Topic.Gpus, "a GPU", "GPUs", "GPUs"),
            _ => (Topic.LanguageModels, "an LLM", "LLMs", "large language models"),
        };
        var sentences = new List<string>();
        if (random.Percent(75)) sentences.Add(Phrase.Expand(random, random.Pick(Openers), singular, plural, spelledOut));
        var explanation = ExplanationTopic.For(topic);
        sentences.AddRange(Explanations.Body(random, explanation, random.Between(2, 4), startWithDefinition: true));
        if (random.Percent(15)) sentences.Add(Phrase.Expand(random, random.Pick(explanation.Summaries)));
        return sentences;
    }

    private static List<string> Workshop(CorpusRandom random)
    {
        var invitation = Phrase.Expand(random,
            "[I am|We are] [running|organizing|holding] a short workshop on how LLMs work [on|next] {0} at {1}[ in room {2}|].",
            random.Pick(Days), CorpusText.Time(random.Between(18, 34) * 30), CorpusText.Number(random.Between(1, 12)));
        var sentences = new List<string> { invitation };
        sentences.AddRange(random.Sample(WorkshopDetails, random.Between(1, 3)).Select(detail => Phrase.Expand(random, detail)));
        if (random.Percent(40)) sentences.Add(Phrase.Expand(random, "Please reply by {0} if you [want|would like] to join.", random.Pick(Days)));
        return sentences;
    }

    private static string SubjectLine(CorpusRandom random, EmailSubject subject) => subject switch
    {
        EmailSubject.Tokens => random.Pick(["What tokens are", "Your question about tokens", "Tokens in short"]),
        EmailSubject.Gpus => random.Pick(["Why we need GPUs", "GPUs in short", "Your GPU question"]),
        EmailSubject.Workshop => random.Pick(["Workshop invitation", "Invitation: how LLMs work", "LLM workshop"]),
        _ => random.Pick(["What an LLM is", "Your question about LLMs", "LLMs in a nutshell", "A short explanation of LLMs"]),
    };
}
