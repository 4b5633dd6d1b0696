namespace Walkthrough.Train.Corpus;

/// <summary>
/// Family 1: lists whose next item is obvious. The bare comma form ("Monday, Tuesday, Wednesday, Thursday") comes
/// first in many documents, and a comma after an item is always followed by the next item, never by "and" or
/// anything else, so "Monday, Tuesday, Wednesday," has one continuation.
/// </summary>
internal static class Sequences
{
    private static readonly (Form Form, int Weight)[] Forms =
    [
        (Form.Bare, 38),
        (Form.WholeList, 22),
        (Form.PartList, 16),
        (Form.Facts, 24),
    ];

    private static readonly string[] PartIntros =
    [
        "From {1} to {2}: {0}.", "Starting [at|from|with] {1}: {0}.", "Keep going: {0}.", "[Say|Read] them in order: {0}.",
        "Continue the list: {0}.", "Here is part of the list: {0}.", "Go on from {1}: {0}.",
    ];

    private static readonly string[] NextFacts =
    [
        "The {2} after {0} is {1}.", "{1} comes after {0}.", "After {0} comes {1}.", "{0} is followed by {1}.",
        "What {2} comes after {0}? {1}.", "What comes after {0}? [It is |]{1}.", "Next after {0} is {1}.",
        "The next {2} after {0} is {1}.", "[Right |]after {0} [comes|is] {1}.",
    ];

    private static readonly string[] PreviousFacts =
    [
        "The {2} before {1} is {0}.", "{0} comes before {1}.", "Before {1} comes {0}.",
        "Which {2} comes before {1}? {0}.", "What comes before {1}? [It is |]{0}.",
    ];

    private enum Form { Bare, WholeList, PartList, Facts }

    private static readonly (SequenceKind Kind, int Weight)[] Weights = [.. SequenceKind.All.Select(kind => (kind, kind.Weight))];

    public static string Write(CorpusRandom random) => Write(random, random.Weighted(Weights));

    public static string Write(CorpusRandom random, SequenceKind kind) => random.Weighted(Forms) switch
    {
        Form.Bare => Bare(random, kind),
        Form.WholeList => WholeList(random, kind),
        Form.PartList => PartList(random, kind),
        _ => Facts(random, kind),
    };

    /// <summary>The days kind, which the walkthrough's probability check depends on.</summary>
    public static SequenceKind Days => SequenceKind.All[0];

    /// <summary>"Monday, Tuesday, Wednesday, Thursday." with nothing before it.</summary>
    private static string Bare(CorpusRandom random, SequenceKind kind)
    {
        var items = Run(kind, StartOf(random, kind), LengthOf(random, kind));
        if (random.Percent(12)) return string.Join("\n", items.Select(CorpusText.Capitalize));
        items[0] = CorpusText.Capitalize(items[0]);
        return string.Join(", ", items) + (random.Percent(60) ? "." : "");
    }

    /// <summary>"The days of the week are Monday, Tuesday, ... and Sunday.", from the list's own start.</summary>
    private static string WholeList(CorpusRandom random, SequenceKind kind)
    {
        var items = Run(kind, 0, kind.FullLength);
        var sentence = Fill(random, random.Pick(kind.Intros), items);
        return random.Percent(25) ? CorpusText.Sentences([Phrase.Expand(random, kind.CountFact), sentence]) : sentence;
    }

    /// <summary>A stretch of the list starting anywhere, wrapping around where the list is cyclic.</summary>
    private static string PartList(CorpusRandom random, SequenceKind kind)
    {
        var items = Run(kind, AnyStart(random, kind), LengthOf(random, kind));
        return Fill(random, random.Pick(PartIntros), items);
    }

    /// <summary>Two to five sentences such as "The day after Wednesday is Thursday."</summary>
    private static string Facts(CorpusRandom random, SequenceKind kind)
    {
        var sentences = new List<string>();
        if (random.Percent(30)) sentences.Add(Phrase.Expand(random, kind.CountFact));
        var count = random.Between(2, 5);
        for (var i = 0; i < count; i++)
        {
            var lastStart = kind.Cyclic ? kind.Items.Length : Math.Min(kind.Items.Length - 1, kind.FullLength + 10);
            var at = random.Below(lastStart);
            var (first, second) = (kind.Items[at], kind.Items[(at + 1) % kind.Items.Length]);
            var template = random.Percent(75) ? random.Pick(NextFacts) : random.Pick(PreviousFacts);
            sentences.Add(AnswerCase(Phrase.Expand(random, template, first, second, kind.Unit)));
        }
        return CorpusText.Sentences(sentences);
    }

    /// <summary>Capitals at the start and after a question mark: "What comes after nine? Ten."</summary>
    private static string AnswerCase(string sentence)
    {
        var question = sentence.IndexOf("? ", StringComparison.Ordinal);
        sentence = CorpusText.Capitalize(sentence);
        return question < 0 ? sentence : sentence[..(question + 2)] + CorpusText.Capitalize(sentence[(question + 2)..]);
    }

    /// <summary>count items from start on; cyclic lists wrap, others stop at their end.</summary>
    public static List<string> Run(SequenceKind kind, int start, int count)
    {
        if (!kind.Cyclic) count = Math.Min(count, kind.Items.Length - start);
        return [.. Enumerable.Range(start, count).Select(i => kind.Items[i % kind.Items.Length])];
    }

    /// <summary>Where a list starts: often at its beginning (Monday for the days), otherwise anywhere early.</summary>
    private static int StartOf(CorpusRandom random, SequenceKind kind) => random.Percent(45) ? 0 : AnyStart(random, kind);

    /// <summary>Anywhere in a cyclic list; early enough in others that a few items follow.</summary>
    public static int AnyStart(CorpusRandom random, SequenceKind kind) =>
        random.Below(kind.Cyclic ? kind.Items.Length : Math.Min(kind.Items.Length - 3, kind.FullLength + 10));

    public static int LengthOf(CorpusRandom random, SequenceKind kind) =>
        random.Between(3, kind.Cyclic ? kind.Items.Length + 3 : Math.Max(4, Math.Min(kind.FullLength, 12)));

    /// <summary>Fills an intro: the list with commas (or "and" before the last item), its first and last items.</summary>
    private static string Fill(CorpusRandom random, string intro, List<string> items)
    {
        var list = random.Percent(55) ? string.Join(", ", items) : CorpusText.AndList(items);
        return CorpusText.Capitalize(Phrase.Expand(random, intro, list, items[0], items[^1]));
    }
}
