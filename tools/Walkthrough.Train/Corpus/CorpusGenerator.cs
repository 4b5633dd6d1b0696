using System.Collections.Immutable;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// The training corpus of walkthrough-tiny, written by this program: the same seed gives the same documents, byte
/// for byte, on every machine. Each document is plain text without BOS/EOS; the trainer adds those around it.
/// For scale: the first 60,000 documents are about 16.8 million characters, 4.5 million Mistral tokens, and none is
/// longer than 256 tokens. tools/corpus-preview prints the statistics, samples of each family and rule checks.
/// </summary>
public static class CorpusGenerator
{
    /// <summary>
    /// How many documents of each family, per thousand. Instructions are the MPT-template pairs other than flights;
    /// the flight family writes half its documents as plain text and half in the template.
    /// </summary>
    public static readonly ImmutableArray<(CorpusFamily Family, int PerMille)> Mix =
    [
        // Capitals weigh most: fifty facts to memorise need many short repetitions, while the long families
        // (explanations, e-mails) teach patterns that a few hundred examples already fix.
        (CorpusFamily.Sequences, 150),
        (CorpusFamily.Capitals, 330),
        (CorpusFamily.Explanations, 100),
        (CorpusFamily.Emails, 110),
        (CorpusFamily.Instructions, 210),
        (CorpusFamily.Flights, 100),
    ];

    /// <summary>An endless stream of documents; take as many as the run needs.</summary>
    public static IEnumerable<string> Documents(int seed) => Labeled(seed).Select(document => document.Text);

    /// <summary>The first count documents.</summary>
    public static IReadOnlyList<string> Generate(int seed, int count) => Documents(seed).Take(count).ToList();

    /// <summary>The same stream as <see cref="Documents"/>, each document with its family.</summary>
    public static IEnumerable<CorpusDocument> Labeled(int seed)
    {
        for (long index = 0; ; index++) yield return Write(seed, index);
    }

    /// <summary>
    /// The index-th document on its own: its random generator depends only on (seed, index), so editing one
    /// family changes that family's documents and no others.
    /// </summary>
    public static CorpusDocument Write(int seed, long index)
    {
        var random = new CorpusRandom(CorpusRandom.Derive(seed, index));
        var family = random.Weighted(Mix);
        var text = family switch
        {
            CorpusFamily.Sequences => Sequences.Write(random),
            CorpusFamily.Capitals => Capitals.Write(random),
            CorpusFamily.Explanations => Explanations.Write(random),
            CorpusFamily.Emails => Emails.Write(random),
            CorpusFamily.Instructions => Instructions.Write(random),
            CorpusFamily.Flights => Flights.Write(random),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
        };
        return new CorpusDocument(index, family, text);
    }
}
