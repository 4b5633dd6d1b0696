namespace Walkthrough.Display;

/// <summary>
/// Named values, one per category of a bar or line chart: <c>Series.Of("T = 0.5", probabilities)</c>. Several series
/// make grouped or stacked bars, or several lines; <see cref="RightAxis"/> puts a line on the figure's second axis.
/// </summary>
public sealed record Series(string Name, IReadOnlyList<Datum> Data)
{
    /// <summary>A CSS colour; null takes the next colour of the figure's palette.</summary>
    public string? Colour { get; init; }

    /// <summary>Lines only: measured on the figure's right-hand axis (<see cref="Figure.Y2"/>).</summary>
    public bool RightAxis { get; init; }

    public static Series Of(string name, IEnumerable<double> values, string? colour = null) =>
        new(name, values.Select(v => new Datum(v)).ToList()) { Colour = colour };
}
