using Walkthrough.Inference;

namespace Walkthrough.Display;

/// <summary>Plotly.NET pictures of next-token prediction: one step's candidates, and a whole generation's steps.</summary>
public static class StepCharts
{
    /// <summary>The top candidates of one step as bars, the chosen one highlighted.</summary>
    public static Figure TopK(NextTokenStep step)
    {
        var bar = Plot.Trace("bar",
            ("x", step.Candidates.Select(c => Quote(c.Text)).ToArray()),
            ("y", step.Candidates.Select(c => c.Probability).ToArray()),
            ("marker", new Dictionary<string, object> { ["color"] = step.Candidates.Select(c => c.Id == step.Chosen.Id ? "#f59e0b" : "#60a5fa").ToArray() }),
            ("hovertext", step.Candidates.Select(c => $"id {c.Id}, logit {c.Logit:0.00}").ToArray()));
        return new Figure(Plot.Chart([bar], $"Step {step.Step}: the model's top {step.Candidates.Count} candidates", "candidate token", "probability"));
    }

    /// <summary>Candidates × steps: for each step (column) the probability of each token that was ever a top candidate.</summary>
    public static Figure Heatmap(IReadOnlyList<NextTokenStep> steps, int candidatesPerStep = 5)
    {
        var tokens = steps.SelectMany(s => s.Candidates.Take(candidatesPerStep)).Select(c => (c.Id, c.Text)).Distinct().ToList();
        var z = tokens.Select(t => steps.Select(s => s.Probabilities[t.Id]).ToArray()).ToArray();
        var heat = Plot.Trace("heatmap",
            ("z", z),
            ("x", steps.Select(s => $"{s.Step}: {Quote(s.Chosen.Text)}").ToArray()),
            ("y", tokens.Select(t => Quote(t.Text)).ToArray()),
            ("colorscale", "Blues"));
        return new Figure(Plot.Chart([heat], "Probability of each candidate at each step (column = step and the token chosen)", "step", "candidate",
            ("height", Math.Max(300, 22 * tokens.Count + 120))));
    }

    /// <summary>The chosen token's probability and the distribution's entropy, step by step.</summary>
    public static Figure Confidence(IReadOnlyList<NextTokenStep> steps)
    {
        var x = steps.Select(s => $"{s.Step}: {Quote(s.Chosen.Text)}").ToArray();
        var probability = Plot.Trace("scatter", ("x", x), ("y", steps.Select(s => s.Chosen.Probability).ToArray()),
            ("name", "probability of the chosen token"), ("mode", "lines+markers"));
        var entropy = Plot.Trace("scatter", ("x", x), ("y", steps.Select(s => s.Entropy).ToArray()),
            ("name", "entropy (bits)"), ("mode", "lines+markers"), ("yaxis", "y2"));
        return new Figure(Plot.Chart([probability, entropy], "How sure the model was at each step", "step", "probability",
            ("yaxis2", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = "entropy (bits)" }, ["overlaying"] = "y", ["side"] = "right" })));
    }

    // Token texts with spaces and newlines visible as chart labels.
    private static string Quote(string text) => $"'{text}'";
}
