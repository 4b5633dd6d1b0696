namespace Walkthrough.Display;

/// <summary>
/// Small multiples: several figures drawn side by side in one picture, <see cref="Columns"/> to a row, each with its
/// own title — the heads of one attention layer, say, so a reader compares them at a glance.
/// </summary>
public sealed record PanelsLayer(IReadOnlyList<Figure> Panels) : Layer
{
    public int Columns { get; init; } = 3;
}
