namespace Walkthrough.Fuzz;

/// <summary>A run: how many cases, from which seed, of which families, on which base model, and its guards.</summary>
internal sealed record FuzzOptions
{
    public int Cases { get; init; } = 2000;

    public int Seed { get; init; } = 1;

    public IReadOnlyList<Family> Families { get; init; } = FamilyNames.All;

    /// <summary>"mini" (made from the bundled model, fast) or "tiny" (the bundled model itself).</summary>
    public string Base { get; init; } = "mini";

    /// <summary>Worker processes at once.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>A case still running after this long is a hang.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A worker whose resident memory passes this is stopped (a case that would take the machine down).</summary>
    public long MemoryLimitBytes { get; init; } = 4L << 30;

    /// <summary>Print every defect, not only the first of each kind.</summary>
    public bool Verbose { get; init; }

    /// <summary>Where to write every result as JSON lines, if anywhere.</summary>
    public string? ResultsFile { get; init; }

    /// <summary>Where to write each crash's whole exception, stack trace included (case-N.txt), if anywhere.</summary>
    public string? TracesFolder { get; init; }

    /// <summary>Run only these case indices (to look at one again).</summary>
    public IReadOnlyList<int>? Only { get; init; }
}
