namespace Walkthrough.Display;

/// <summary>
/// One value of a series — a bar's height, a point of a line — with what a reader sees beside it: a label drawn on
/// the chart (<see cref="Text"/>), a tooltip on hover, its own colour, and whether it stands out or is greyed.
/// A plain number converts to a datum: <c>Datum d = 0.25;</c>.
/// </summary>
public sealed record Datum(double Value)
{
    public string? Text { get; init; }

    public string? Tooltip { get; init; }

    /// <summary>A CSS colour (<c>#60a5fa</c>); null takes the series' colour.</summary>
    public string? Colour { get; init; }

    public Emphasis Emphasis { get; init; }

    public static implicit operator Datum(double value) => new(value);
}
