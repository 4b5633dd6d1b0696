namespace Walkthrough.Display;

/// <summary>
/// A chart as data: a title, axes and layers (bars, lines, a heatmap, labelled points, reference lines). One figure
/// feeds every place a lesson is read — <see cref="ToSvg"/> is a static picture drawn by the kit itself (notebook
/// viewers that run no scripts show it), <see cref="ToHtml"/> the same picture inline with tooltips for the notebook
/// and the kit's HTML pages, and <see cref="ToString"/> a small text rendering for the terminal and file-based apps.
/// <code>
/// Figure.Bars("Tokens per tokenizer", ["mistral-7b", "o200k_base"], [13, 12])
/// Figure.Heatmap("Attention", new HeatmapLayer(tokens, tokens, weights) { Masked = future }, "key", "query")
/// </code>
/// </summary>
public sealed record Figure(string Title, IReadOnlyList<Layer> Layers)
{
    /// <summary>Series colours in order: distinct, and readable on white.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#0891b2", "#db2777", "#6b7280"];

    /// <summary>The colour of a bar that is drawn but does not count: a token a sampling rule cut.</summary>
    public const string MutedColour = "#d1d5db";

    public Axis X { get; init; } = new();

    public Axis Y { get; init; } = new();

    /// <summary>A second value axis on the right, for lines with <see cref="Series.RightAxis"/>.</summary>
    public Axis? Y2 { get; init; }

    /// <summary>Pixels; a heatmap with many columns grows wider to keep its cells readable.</summary>
    public int Width { get; init; } = 720;

    /// <summary>Pixels; null lets the figure choose (a heatmap from its rows).</summary>
    public int? Height { get; init; }

    /// <summary>A sentence under the title: what to look at.</summary>
    public string? Caption { get; init; }

    /// <summary>One bar per category; values convert from numbers or carry labels, colours and emphasis.</summary>
    public static Figure Bars(string title, IReadOnlyList<string> categories, IReadOnlyList<Datum> values, string xTitle = "", string yTitle = "") =>
        new(title, [new BarLayer(categories, [new Series("", values)])]) { X = new Axis(xTitle), Y = new Axis(yTitle) };

    /// <summary>Several series side by side in each category (one distribution at three temperatures).</summary>
    public static Figure GroupedBars(string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string xTitle = "", string yTitle = "") =>
        new(title, [new BarLayer(categories, series)]) { X = new Axis(xTitle), Y = new Axis(yTitle) };

    /// <summary>Several series stacked in each category (the parts of a memory budget).</summary>
    public static Figure StackedBars(string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string xTitle = "", string yTitle = "") =>
        new(title, [new BarLayer(categories, series) { Stacked = true }]) { X = new Axis(xTitle), Y = new Axis(yTitle) };

    /// <summary>Lines over categories; a series with <see cref="Series.RightAxis"/> is measured on <see cref="Y2"/>.</summary>
    public static Figure Lines(string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string xTitle = "", string yTitle = "", string? y2Title = null) =>
        new(title, [new LineLayer(categories, series)])
        {
            X = new Axis(xTitle),
            Y = new Axis(yTitle),
            Y2 = y2Title is null && !series.Any(s => s.RightAxis) ? null : new Axis(y2Title ?? ""),
        };

    /// <summary>A grid of values with labelled rows and columns, darker where higher.</summary>
    public static Figure Heatmap(string title, HeatmapLayer heatmap, string xTitle = "", string yTitle = "")
    {
        heatmap.Validate();
        return new Figure(title, [heatmap]) { X = new Axis(xTitle), Y = new Axis(yTitle) };
    }

    /// <summary>Labelled points on two axes (token embeddings projected to two dimensions).</summary>
    public static Figure Scatter(string title, IReadOnlyList<ScatterPoint> points, string xTitle = "", string yTitle = "") =>
        new(title, [new ScatterLayer(points)]) { X = new Axis(xTitle), Y = new Axis(yTitle), Height = 440 };

    /// <summary>The same figure with a layer drawn over it (a line at the GPU's memory, say).</summary>
    public Figure With(Layer layer) => this with { Layers = [.. Layers, layer] };

    /// <summary>A standalone SVG document: the picture every renderer shares.</summary>
    public string ToSvg() => FigureSvg.Render(this);

    /// <summary>The SVG inline in a block that scrolls sideways when the figure is wider than the page.</summary>
    public string ToHtml() => $"<div class=\"wt-figure\" style=\"overflow-x:auto;max-width:100%\">{ToSvg()}</div>";

    /// <summary>A small text rendering: bars of block characters, a shaded grid, a table of points.</summary>
    public override string ToString() => FigureText.Render(this);

    public void SaveSvg(string path) => File.WriteAllText(path, ToSvg());

    /// <summary>A page holding only this figure; it opens offline.</summary>
    public void SaveHtml(string path) =>
        File.WriteAllText(path, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{SvgCanvas.Escape(Title)}</title></head><body>{ToHtml()}</body></html>");
}
