using System.Globalization;

namespace Walkthrough.Train.Corpus;

/// <summary>Small text helpers shared by the families. Every number goes through the invariant culture.</summary>
public static class CorpusText
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>Words that keep their capital letter after a connector ("Also, Mistral-7B ...").</summary>
    private static readonly string[] KeepCapital = ["I", "Mistral-7B", "Mistral", "NVIDIA", "SentencePiece", "K", "V"];

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal with at most one digit after the point: 14, 3.5, 14.5.</summary>
    public static string Decimal(int tenths) =>
        tenths % 10 == 0 ? Number(tenths / 10) : Number(tenths / 10) + "." + Number(tenths % 10);

    /// <summary>Minutes after midnight as a 24-hour time, "07:05"; wraps past midnight.</summary>
    public static string Time(int minutes)
    {
        minutes = ((minutes % 1440) + 1440) % 1440;
        return (minutes / 60).ToString("00", CultureInfo.InvariantCulture) + ":" + (minutes % 60).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>0 to 100 in words: "forty-two".</summary>
    public static string NumberWord(int value) => value switch
    {
        < 0 or > 100 => throw new ArgumentOutOfRangeException(nameof(value)),
        100 => "one hundred",
        < 20 => Ones[value],
        _ when value % 10 == 0 => Tens[value / 10],
        _ => Tens[value / 10] + "-" + Ones[value % 10],
    };

    public static string Capitalize(string text) =>
        text.Length == 0 || !char.IsAsciiLetterLower(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Lowercases the first word for use after a connector, unless it is a name or an acronym.</summary>
    public static string AfterConnector(string sentence)
    {
        var firstWord = sentence.Split(' ', ',')[0];
        if (KeepCapital.Contains(firstWord)) return sentence;
        if (firstWord.Length > 1 && firstWord.Skip(1).Any(char.IsAsciiLetterUpper)) return sentence; // LLMs, GPU, KV
        return firstWord.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..];
    }

    /// <summary>"a, b and c" (no comma before "and", so a comma after a day is always followed by the next day).</summary>
    public static string AndList(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>Sentences joined by single spaces.</summary>
    public static string Sentences(IEnumerable<string> sentences) => string.Join(" ", sentences);
}
