namespace Walkthrough.Display;

/// <summary>
/// Bars over categories: one series gives one bar per category; several give grouped bars side by side, or stacked
/// bars when <see cref="Stacked"/> is set (weights under KV cache under activations).
/// </summary>
public sealed record BarLayer(IReadOnlyList<string> Categories, IReadOnlyList<Series> Series) : Layer
{
    public bool Stacked { get; init; }
}
