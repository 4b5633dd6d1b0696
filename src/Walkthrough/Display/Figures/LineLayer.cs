namespace Walkthrough.Display;

/// <summary>Lines with a marker at each category, each series on the left axis or on the right (<see cref="Series.RightAxis"/>).</summary>
public sealed record LineLayer(IReadOnlyList<string> Categories, IReadOnlyList<Series> Series) : Layer;
