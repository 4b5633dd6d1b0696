using Plotly.NET;

namespace Walkthrough.Display;

/// <summary>
/// Builds Plotly.NET charts from plain trace and layout properties. Plotly.NET's C# wrapper needs .NET 10 and its
/// F# API needs every optional argument spelled out; its dynamic objects need neither, so the library stays on net8.0.
/// </summary>
internal static class Plot
{
    public static Trace Trace(string type, params (string Name, object Value)[] properties)
    {
        var trace = new Trace(type);
        foreach (var (name, value) in properties) trace.SetProperty(name, value);
        return trace;
    }

    public static GenericChart Chart(IEnumerable<Trace> traces, string title, string xTitle, string yTitle, params (string Name, object Value)[] layoutProperties)
    {
        var layout = new Layout();
        layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        layout.SetProperty("xaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = xTitle }, ["automargin"] = true });
        layout.SetProperty("yaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = yTitle }, ["automargin"] = true });
        foreach (var (name, value) in layoutProperties) layout.SetProperty(name, value);
        // No default template: it would add ~8 KB of styling to every saved notebook output.
        var chart = GenericChart.ofTraceObjects(false, traces);
        return GenericChart.addLayout(layout, chart);
    }
}
