namespace Walkthrough.Train.Corpus;

/// <summary>First names for e-mail senders and recipients, from many languages.</summary>
internal static class People
{
    public static readonly string[] Names =
    [
        "Sam", "Alex", "Maria", "Priya", "Chen", "Fatima", "Jonas", "Lena", "Omar", "Sofia", "Kenji", "Amara",
        "Lucas", "Emma", "Noah", "Mia", "Ravi", "Elena", "Tom", "Anna", "David", "Sara", "Ben", "Yuki",
        "Diego", "Nora", "Ivan", "Leila", "Marco", "Hannah", "Kofi", "Ines", "Paul", "Zoe", "Felix", "Aisha",
        "Daniel", "Julia", "Hugo", "Maya", "Peter", "Lucy", "Ahmed", "Clara", "Mateo", "Grace", "Arjun", "Ella",
        "Jakob", "Nina", "Samir", "Olivia", "Wei", "Rosa", "Erik", "Chloe", "Tariq", "Laura", "Max", "Ada",
    ];

    /// <summary>Two different names: a sender and a recipient.</summary>
    public static (string Sender, string Recipient) Pair(CorpusRandom random)
    {
        var pair = random.Sample(Names, 2);
        return (pair[0], pair[1]);
    }
}
