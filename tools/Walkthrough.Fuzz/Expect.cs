namespace Walkthrough.Fuzz;

/// <summary>How a case may end, from the strictest demand to the loosest; combining two keeps the stricter.</summary>
internal enum Expect
{
    /// <summary>Harmless (whitespace, an unknown key): it must load and give exactly the pristine model's outputs.</summary>
    Load,

    /// <summary>Doubtful but harmless if read (a byte-order mark, a key the kit ignores): refused, or loaded with the pristine outputs.</summary>
    RefuseOrSame,

    /// <summary>A valid value that changes the model (another epsilon, another token as BOS): refused, or loaded with finite outputs.</summary>
    RefuseOrFinite,

    /// <summary>Bad input: it must be refused with a clear message.</summary>
    Refuse,
}

/// <summary>What a case must end in, why, and what a clear refusal names (any one of <see cref="Mentions"/>, besides the file).</summary>
internal sealed record Judgement(Expect Expect, string Why, IReadOnlyList<string> Mentions)
{
    public static readonly Judgement Harmless = new(Expect.Load, "harmless", []);

    public static Judgement Refuse(string why, params string[] mentions) => new(Expect.Refuse, why, mentions);

    public static Judgement Same(string why) => new(Expect.RefuseOrSame, why, []);

    public static Judgement Finite(string why) => new(Expect.RefuseOrFinite, why, []);

    /// <summary>The stricter of two; for two refusals, either one's names will do (and none are asked for if one asks for none).</summary>
    public Judgement And(Judgement other) =>
        other.Expect > Expect ? other
        : other.Expect < Expect ? this
        : Expect == Expect.Refuse ? this with { Why = $"{Why}; {other.Why}", Mentions = Mentions.Count == 0 || other.Mentions.Count == 0 ? [] : [.. Mentions, .. other.Mentions] }
        : this;
}
