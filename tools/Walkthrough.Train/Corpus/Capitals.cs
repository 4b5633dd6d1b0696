namespace Walkthrough.Train.Corpus;

/// <summary>
/// Family 2: "The capital of France is Paris." as statements, questions with answers, short tables, and the
/// question turned around. In every template {0} is the country inside a sentence ("the Netherlands"), {1} the
/// capital, {2} the country at the start of a sentence ("The Netherlands") and {3} its continent.
/// </summary>
internal static class Capitals
{
    private static readonly string[] Facts =
    [
        "The capital of {0} is {1}.", "The capital of {0} is {1}.", "The capital city of {0} is {1}.",
        "{1} is the capital of {0}.", "{1} is the capital city of {0}.", "{2} has {1} as its capital.",
        "The capital of {0} is the city of {1}.", "In {0}, the capital is {1}.", "{2}'s capital is {1}.",
        "{2}'s capital city is {1}.", "The capital of {0} is {1}.",
    ];

    private static readonly string[] Questions =
    [
        "What is the capital of {0}?", "What is the capital of {0}?", "What is the capital city of {0}?",
        "Which city is the capital of {0}?", "What city is the capital of {0}?", "Do you know the capital of {0}?",
        "Name the capital of {0}.", "What is {2}'s capital?",
    ];

    private static readonly string[] ShortAnswers = ["{1}.", "It is {1}.", "The answer is {1}.", "[The capital is |]{1}."];

    private static readonly string[] QuestionLayouts = ["{0} {1}", "{0}\n{1}", "Q: {0}\nA: {1}", "Question: {0}\nAnswer: {1}", "Question: {0} Answer: {1}"];

    private static readonly string[] TableHeaders =
    [
        "Countries and their capitals:", "Some capitals of the world:", "Country and capital:", "Capital cities:", "",
    ];

    private static readonly string[] TableRows = ["{2}: {1}", "{2} - {1}", "{2}, capital {1}", "The capital of {0} is {1}."];

    private static readonly string[] Reverses =
    [
        "{1} is the capital of which country? {2}.", "Which country has {1} as its capital? {2}.",
        "Which country is {1} the capital of? It is the capital of {0}.", "{1} is in {0}[. It is the capital|, and it is the capital].",
        "{1} is a city in {0}. It is [the|the country's] capital.",
    ];

    private static readonly string[] WithContinent =
    [
        "{2} is a country in {3}. Its capital is {1}.", "{1} is the capital of {0}, a country in {3}.",
        "{2} is in {3}, and its capital is {1}.", "{2} lies in {3}. The capital of {0} is {1}.",
    ];

    public static string Write(CorpusRandom random) => random.Below(100) switch
    {
        < 28 => Fact(random, random.Pick(Country.All)),
        < 56 => QuestionAndAnswer(random, random.Pick(Country.All)),
        < 78 => Several(random),
        < 90 => Reverse(random, random.Pick(Country.All)),
        _ => Continent(random),
    };

    /// <summary>One statement: "The capital of Japan is Tokyo."</summary>
    public static string Fact(CorpusRandom random, Country country)
    {
        var template = random.Pick(Facts);
        if (country.Name.EndsWith('s') && template.Contains("'s", StringComparison.Ordinal)) template = Facts[0];
        if (country.Capital.EndsWith("City", StringComparison.Ordinal) && template.Contains("the city of", StringComparison.Ordinal)) template = Facts[0];
        return Fill(random, template, country);
    }

    /// <summary>"What is the capital of Japan?" and its answer, in one of several layouts.</summary>
    public static string QuestionAndAnswer(CorpusRandom random, Country country)
    {
        var question = Question(random, country);
        var answer = random.Percent(65) ? Fact(random, country) : Fill(random, random.Pick(ShortAnswers), country);
        return Phrase.Expand(random, random.Pick(QuestionLayouts), question, answer);
    }

    public static string Question(CorpusRandom random, Country country)
    {
        var template = random.Pick(Questions);
        if (country.Name.EndsWith('s') && template.Contains("'s", StringComparison.Ordinal)) template = Questions[0];
        return Fill(random, template, country);
    }

    /// <summary>Two to six countries, as sentences or as a small table.</summary>
    private static string Several(CorpusRandom random)
    {
        var countries = random.Sample(Country.All, random.Between(2, 6));
        if (random.Percent(50)) return CorpusText.Sentences(countries.Select(country => Fact(random, country)));
        var header = random.Pick(TableHeaders);
        var row = random.Pick(TableRows);
        var rows = countries.Select(country => Fill(random, row, country));
        return string.Join("\n", header.Length == 0 ? rows : rows.Prepend(header));
    }

    /// <summary>From the city to the country: "Which country has Tokyo as its capital? Japan."</summary>
    private static string Reverse(CorpusRandom random, Country country) => Fill(random, random.Pick(Reverses), country);

    private static string Continent(CorpusRandom random)
    {
        var withContinent = Country.All.Where(country => country.Continent is not null).ToList();
        return Fill(random, random.Pick(WithContinent), random.Pick(withContinent));
    }

    private static string Fill(CorpusRandom random, string template, Country country) =>
        Tidy(Phrase.Expand(random, template, country.InSentence, country.Capital, CorpusText.Capitalize(country.InSentence), country.Continent ?? ""));

    /// <summary>"Washington, D.C." ends in a full stop of its own.</summary>
    public static string Tidy(string text) => text.Replace("D.C..", "D.C.", StringComparison.Ordinal);
}
