using Plotly.NET;

namespace Walkthrough.Display;

/// <summary>
/// A Plotly.NET chart that shows itself in a notebook. <see cref="SaveHtml"/> writes a page that carries plotly.js
/// inline, so it opens offline.
/// </summary>
public sealed class Figure(GenericChart chart)
{
    public GenericChart Chart { get; } = chart;

    /// <summary>The chart's div and script; plotly.js comes from the page (notebook front ends load it).</summary>
    public string ToHtml() => GenericChart.toChartHTML(Chart);

    public void SaveHtml(string path) => File.WriteAllText(path, GenericChart.toEmbeddedHTML(Chart));
}
