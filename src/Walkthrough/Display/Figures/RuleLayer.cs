namespace Walkthrough.Display;

/// <summary>A dashed horizontal line across the plot at <paramref name="Value"/> on the left axis, labelled: a limit to compare with.</summary>
public sealed record RuleLayer(double Value, string Label) : Layer
{
    public string Colour { get; init; } = "#dc2626";
}
