using System.Globalization;
using Walkthrough.Inference;

namespace Walkthrough.Display;

/// <summary>Pictures of next-token prediction: one step's candidates, one step at several temperatures, a generation's steps.</summary>
public static class StepCharts
{
    private const string Bar = "#60a5fa";
    private const string Chosen = "#f59e0b";

    /// <summary>
    /// The top candidates of one step as bars, the chosen one highlighted, each labelled with its probability. On the
    /// default log scale a favourite at 0.998 and runners-up at 0.0001 are all visible; hover a bar for its logit.
    /// </summary>
    public static Figure TopK(NextTokenStep step, AxisScale scale = AxisScale.Log)
    {
        var bars = step.Candidates.Select(c => new Datum(c.Probability)
        {
            Text = Probability(c.Probability),
            Tooltip = $"rank {c.Rank}: {Quote(c.Text)}, id {c.Id}, logit {c.Logit:0.00}, p = {c.Probability:0.0000}"
                + (c.CutBy is { } rule ? $", cut by {rule.Name()}" : ""),
            Colour = c.Id == step.Chosen.Id ? Chosen : Bar,
            Emphasis = c.Id == step.Chosen.Id ? Emphasis.Highlight : c.CutBy is null ? Emphasis.Normal : Emphasis.Muted,
        }).ToList();
        return Figure.Bars($"Step {step.Step}: the model's top {step.Candidates.Count} candidates",
                step.Candidates.Select(c => Quote(c.Text)).ToList(), bars, "candidate token")
            with
            {
                Y = new Axis(scale == AxisScale.Log ? "probability (log scale)" : "probability") { Scale = scale, Max = 1 },
                Caption = scale == AxisScale.Log
                    ? $"Each step down the axis is ten times less likely. Orange: the token chosen ({step.Rule}).{CutNote(step)}"
                    : $"Orange: the token chosen ({step.Rule}).{CutNote(step)}",
            };
    }

    /// <summary>
    /// One step's top candidates at several temperatures, side by side: p = softmax(logits / T). Below 1 the favourite
    /// takes even more; above 1 the runners-up gain. Log scale by default, so the small ones show.
    /// </summary>
    public static Figure Temperatures(NextTokenStep step, IReadOnlyList<double> temperatures, int candidates = 8, AxisScale scale = AxisScale.Log)
    {
        if (temperatures.Count == 0 || temperatures.Any(t => !(t > 0)))
            throw new WalkthroughException($"Temperatures must be above 0 (got {string.Join(", ", temperatures)}); temperature 0 is greedy decoding, which has no distribution to draw.");
        var top = step.Candidates.Take(candidates).ToList();
        var ordered = temperatures.Order().ToList();
        var series = ordered.Select((t, i) =>
        {
            var p = Sampling.Softmax(step.Logits, t);
            return new Series($"T = {t.ToString("0.##", CultureInfo.InvariantCulture)}", top.Select(c => new Datum(p[c.Id])
            {
                Tooltip = $"{Quote(c.Text)} at T = {t.ToString("0.##", CultureInfo.InvariantCulture)}: p = {Probability(p[c.Id])}",
            }).ToList()) { Colour = Warmth(i, ordered.Count) };
        }).ToList();
        return Figure.GroupedBars($"Step {step.Step} at temperatures {string.Join(", ", ordered.Select(t => t.ToString("0.##", CultureInfo.InvariantCulture)))}",
                top.Select(c => Quote(c.Text)).ToList(), series, "candidate token")
            with
            {
                Y = new Axis(scale == AxisScale.Log ? "probability (log scale)" : "probability") { Scale = scale, Max = 1 },
                Caption = "Lower temperature: the favourite takes almost everything. Higher: the others catch up.",
            };
    }

    /// <summary>
    /// Candidates × steps: for each step (column) the probability of each token that was ever a top candidate, written
    /// in its cell. Dark is likely, white is unlikely, on a fixed 0..1 scale.
    /// </summary>
    public static Figure Heatmap(IReadOnlyList<NextTokenStep> steps, int candidatesPerStep = 5)
    {
        var tokens = steps.SelectMany(s => s.Candidates.Take(candidatesPerStep)).Select(c => (c.Id, c.Text)).Distinct().ToList();
        var columns = steps.Select(s => $"{s.Step}: {Quote(s.Chosen.Text)}").ToList();
        var values = tokens.Select(t => (IReadOnlyList<double>)steps.Select(s => s.Probabilities[t.Id]).ToList()).ToList();
        var heat = new HeatmapLayer(tokens.Select(t => Quote(t.Text)).ToList(), columns, values)
        {
            Min = 0,
            Max = 1,
            CellText = values.Select(row => (IReadOnlyList<string?>)row.Select(p => p >= 0.005 ? p.ToString("0.00", CultureInfo.InvariantCulture) : "").ToList()).ToList(),
            Tooltips = tokens.Select(t => (IReadOnlyList<string?>)steps.Select(s => $"{Quote(t.Text)} at step {s.Step}: p = {Probability(s.Probabilities[t.Id])}").ToList()).ToList(),
            Format = "0.#",
        };
        return Figure.Heatmap("Probability of each candidate at each step", heat, "step: the token chosen", "candidate") with
        {
            Caption = "A column is one step; dark cells are likely tokens. The chosen token is usually the darkest.",
        };
    }

    /// <summary>The chosen token's probability (left axis) and the distribution's entropy in bits (right axis), step by step.</summary>
    public static Figure Confidence(IReadOnlyList<NextTokenStep> steps)
    {
        var x = steps.Select(s => $"{s.Step}: {Quote(s.Chosen.Text)}").ToList();
        var probability = Series.Of("probability of the chosen token", steps.Select(s => s.Chosen.Probability), Figure.Palette[0]);
        var entropy = Series.Of("entropy (bits)", steps.Select(s => s.Entropy), Figure.Palette[1]) with { RightAxis = true };
        return Figure.Lines("How sure the model was at each step", x, [probability, entropy], "step: the token chosen", "probability", "entropy (bits)")
            with { Y = new Axis("probability") { Min = 0, Max = 1 } };
    }

    // Greyed bars are candidates the sampling rule took out of the draw; say so once under the chart.
    private static string CutNote(NextTokenStep step) =>
        step.Candidates.Any(c => c.CutBy is not null) ? " Grey: cut by the sampling rule, never drawn." : "";

    // Token texts with spaces and newlines visible as chart labels.
    private static string Quote(string text) => $"'{text}'";

    private static string Probability(double p) =>
        p >= 0.001 ? p.ToString("0.000", CultureInfo.InvariantCulture) : p.ToString("0.0e0", CultureInfo.InvariantCulture);

    // Cold (blue) for the lowest temperature to warm (red) for the highest.
    private static string Warmth(int index, int count) =>
        count == 1 ? Figure.Palette[0] : new ColourScale("warmth", ["#2563eb", "#9ca3af", "#dc2626"]).At(index / (double)(count - 1));
}
