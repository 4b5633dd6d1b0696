namespace Walkthrough.Display;

/// <summary>
/// A value axis: its title, linear or log scale, and optional fixed ends (otherwise taken from the data, rounded to
/// readable ticks). For a heatmap the axes only carry titles: its rows and columns are labelled by the heatmap.
/// </summary>
public sealed record Axis(string Title = "")
{
    public AxisScale Scale { get; init; } = AxisScale.Linear;

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>A log axis with the same title.</summary>
    public Axis Log() => this with { Scale = AxisScale.Log };
}
