namespace Walkthrough.Fuzz;

/// <summary>
/// One damaged (or harmlessly changed) model folder: how to make it from the pristine one, what it must end in, and
/// which file a refusal must name.
/// </summary>
/// <param name="Files">A clear refusal names one of these (the file, or the option on the command line).</param>
/// <param name="Apply">Changes a pristine copy of the model folder into the case's.</param>
/// <param name="Arguments">For command-line cases: the arguments, "{folder}" standing for the case's folder.</param>
internal sealed record FuzzCase(
    string Description,
    Judgement Judgement,
    IReadOnlyList<string> Files,
    Action<string> Apply,
    IReadOnlyList<string>? Arguments = null);

/// <summary>
/// A case's place in a run. Its mutation is made only when the case runs, from a random generator seeded by the run's
/// seed, the family and the index: any case can be made again alone, in any process, without making the others.
/// </summary>
internal sealed record CaseId(int Index, Family Family, int IndexInFamily)
{
    // HashCode.Combine is salted per process; this mix (SplitMix64's finalizer) is the same everywhere.
    public Random Random(int seed)
    {
        var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)Family * 0xBF58476D1CE4E5B9UL + (ulong)IndexInFamily * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return new Random((int)((z ^ (z >> 31)) & int.MaxValue));
    }

    /// <summary>Cases take the families in turn, so a run of any length has each in equal share.</summary>
    public static IReadOnlyList<CaseId> For(int count, IReadOnlyList<Family> families) =>
        Enumerable.Range(0, count).Select(i => new CaseId(i, families[i % families.Count], i / families.Count)).ToArray();
}
