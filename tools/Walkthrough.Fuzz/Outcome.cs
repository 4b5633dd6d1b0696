namespace Walkthrough.Fuzz;

/// <summary>How a case ended. The first three are what every case must end in; the rest are defects.</summary>
internal enum Outcome
{
    /// <summary>A WalkthroughException (exit code 2) with one line that names the file and the key, and says what to do.</summary>
    CleanRefusal,

    /// <summary>It loaded, with finite outputs — the pristine ones wherever the change was harmless.</summary>
    CorrectLoad,

    /// <summary>Refused, but the message spans lines, names neither the file nor the key, or says nothing to do.</summary>
    UnclearRefusal,

    /// <summary>Refused although the change was harmless (whitespace, an unknown key).</summary>
    WronglyRefused,

    /// <summary>Bad input that loaded: nothing said, or outputs that differ from the pristine ones for a harmless change.</summary>
    SilentlyAccepted,

    /// <summary>Loaded, and showed NaN or infinite logits or probabilities.</summary>
    NonFinite,

    /// <summary>Any other exception (its type is the detail), a process that died (SIGABRT), hung, or outgrew the memory guard.</summary>
    Crash,
}

/// <summary>One case's end.</summary>
internal sealed record CaseResult(int Index, Family Family, string Description, Expect Expect, Outcome Outcome, string Detail)
{
    public bool IsDefect => Outcome is not (Outcome.CleanRefusal or Outcome.CorrectLoad);

    public override string ToString() => $"#{Index} {Family.Name()} [{Outcome}] {Description} — {Detail}";
}
