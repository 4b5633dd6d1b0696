namespace Walkthrough.Display;

/// <summary>
/// A labelled point of a scatter plot (a token's embedding projected to two dimensions). Points of the same
/// <see cref="Group"/> share a colour and a legend entry.
/// </summary>
public sealed record ScatterPoint(double X, double Y, string Label)
{
    public string? Group { get; init; }

    public string? Tooltip { get; init; }

    public Emphasis Emphasis { get; init; }
}
