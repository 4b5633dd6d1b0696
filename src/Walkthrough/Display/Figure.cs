using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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
    public string ToHtml() => StableIds(GenericChart.toChartHTML(Chart));

    // Plotly.NET names each chart's div with a new GUID; a name derived from the chart itself keeps saved
    // notebooks identical run to run.
    private static string StableIds(string html)
    {
        var guid = new Regex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
        var stable = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(guid.Replace(html, "")))).ToLowerInvariant()[..32];
        return guid.Replace(html, m => m.Value.Contains('-')
            ? $"{stable[..8]}-{stable[8..12]}-{stable[12..16]}-{stable[16..20]}-{stable[20..]}"
            : stable);
    }

    public override string ToString() => "(a Plotly chart: open the notebook or the HTML page to see it)";

    public void SaveHtml(string path) => File.WriteAllText(path, GenericChart.toEmbeddedHTML(Chart));
}
