namespace Walkthrough.Display;

/// <summary>
/// What a figure draws: bars, lines, a heatmap, a scatter of labelled points, or a reference line. A figure stacks
/// layers over one plot area (bars with a line marking the GPU's memory, say).
/// </summary>
public abstract record Layer;
