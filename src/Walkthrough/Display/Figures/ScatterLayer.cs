namespace Walkthrough.Display;

/// <summary>Labelled points on two linear axes.</summary>
public sealed record ScatterLayer(IReadOnlyList<ScatterPoint> Points) : Layer
{
    /// <summary>Draw each point's label beside it (off for hundreds of points: the tooltip still names them).</summary>
    public bool ShowLabels { get; init; } = true;
}
