using System.Text;

namespace Walkthrough.Display;

/// <summary>
/// A <see cref="Figure"/> as a few lines of text for a terminal (the kit's runner, file-based apps): bars of block
/// characters on the figure's own scale (log included), a heatmap as shades or as its cell texts, lines and points as
/// tables. It fits 100 columns and ends by saying where the drawn chart is.
/// </summary>
internal static class FigureText
{
    private const int BarWidth = 32;
    private const int LabelWidth = 18;
    private static readonly char[] Shades = [' ', '░', '▒', '▓', '█'];

    public static string Render(Figure figure)
    {
        var text = new StringBuilder().AppendLine(figure.Title);
        if (figure.Caption is { } caption) text.AppendLine(caption);
        foreach (var layer in figure.Layers)
        {
            switch (layer)
            {
                case BarLayer bars: Bars(text, figure, bars); break;
                case LineLayer lines: Lines(text, figure, lines); break;
                case HeatmapLayer heat: Heatmap(text, heat); break;
                case ScatterLayer scatter: Scatter(text, figure, scatter); break;
                case RuleLayer rule: text.AppendLine($"---- the line at {FigureSvg.Format(rule.Value)} {figure.Y.Title}".TrimEnd() + $": {rule.Label}"); break;
            }
        }
        return text.Append("(drawn as a chart in the notebook and in the lesson's HTML page)").ToString();
    }

    private static void Bars(StringBuilder text, Figure figure, BarLayer layer)
    {
        var ticks = Ticks.For(figure.Y, layer.Stacked
            ? layer.Categories.Select((_, i) => layer.Series.Sum(s => i < s.Data.Count ? s.Data[i].Value : 0))
            : layer.Series.SelectMany(s => s.Data.Select(d => d.Value)));
        if (figure.Y.Scale == AxisScale.Log) text.AppendLine($"(bar lengths on a log scale from {ticks.Label(ticks.Min)} to {ticks.Label(ticks.Max)})");
        var names = layer.Series.Select(s => s.Name).ToList();
        var nameWidth = names.Max(n => n.Length);
        for (var i = 0; i < layer.Categories.Count; i++)
        {
            if (layer.Stacked)
            {
                var parts = layer.Series.Where(s => i < s.Data.Count).Select(s => $"{s.Name} {FigureSvg.Format(s.Data[i].Value)}");
                var total = layer.Series.Sum(s => i < s.Data.Count ? s.Data[i].Value : 0);
                text.AppendLine($"{Label(layer.Categories[i])} {Bar(ticks, total)} {FigureSvg.Format(total)}  ({string.Join(", ", parts)})");
                continue;
            }
            for (var s = 0; s < layer.Series.Count; s++)
            {
                if (i >= layer.Series[s].Data.Count) continue;
                var datum = layer.Series[s].Data[i];
                var label = s == 0 ? Label(layer.Categories[i]) : new string(' ', LabelWidth);
                var series = layer.Series.Count > 1 ? names[s].PadRight(nameWidth) + " " : "";
                var mark = datum.Emphasis switch { Emphasis.Highlight => "  ◀", Emphasis.Muted => "  (cut)", _ => "" };
                text.AppendLine($"{label} {series}{Bar(ticks, datum.Value)} {datum.Text ?? FigureSvg.Format(datum.Value)}{mark}".TrimEnd());
            }
        }
    }

    private static void Lines(StringBuilder text, Figure figure, LineLayer layer)
    {
        var headers = layer.Series.Select(s => s.Name.Length > 0 ? s.Name : figure.Y.Title).ToList();
        text.AppendLine($"{Label(figure.X.Title)} " + string.Join("  ", headers.Select(h => h.PadLeft(10))));
        for (var i = 0; i < layer.Categories.Count; i++)
            text.AppendLine($"{Label(layer.Categories[i])} " + string.Join("  ", layer.Series.Select((s, k) =>
                (i < s.Data.Count ? FigureSvg.Format(s.Data[i].Value) : "").PadLeft(Math.Max(10, headers[k].Length)))));
    }

    private static void Heatmap(StringBuilder text, HeatmapLayer heat)
    {
        var values = Enumerable.Range(0, heat.Rows.Count).SelectMany(r => Enumerable.Range(0, heat.Columns.Count).Where(c => !heat.IsMasked(r, c)).Select(c => heat.Values[r][c])).ToList();
        var (min, max) = (heat.Min ?? values.DefaultIfEmpty(0).Min(), heat.Max ?? values.DefaultIfEmpty(1).Max());
        var width = heat.CellText is null ? 2 : Math.Clamp(heat.CellText.SelectMany(r => r).Max(t => t?.Length ?? 0), 3, 10);
        text.AppendLine(new string(' ', LabelWidth + 1) + string.Concat(heat.Columns.Select((_, c) => c.ToString().PadRight(width + 1)[..(width + 1)])));
        for (var r = 0; r < heat.Rows.Count; r++)
        {
            var line = new StringBuilder(Label(heat.Rows[r]) + " ");
            for (var c = 0; c < heat.Columns.Count; c++)
            {
                var cell = heat.IsMasked(r, c) ? new string('·', width)
                    : heat.CellText is { } cells ? Fit(cells[r][c] ?? "", width).PadRight(width)
                    : new string(Shades[(int)Math.Round(Math.Clamp((heat.Values[r][c] - min) / Math.Max(max - min, 1e-12), 0, 1) * (Shades.Length - 1))], width);
                line.Append(cell).Append(' ');
            }
            text.AppendLine(line.ToString().TrimEnd());
        }
        text.AppendLine($"columns: {string.Join(", ", heat.Columns.Select((label, c) => $"{c} {label}"))}");
        if (heat.CellText is null) text.AppendLine($"shades: '{Shades[1]}' {FigureSvg.Format(min, heat.Format)} … '{Shades[^1]}' {FigureSvg.Format(max, heat.Format)}" + (heat.Masked is null ? "" : ", '·' masked"));
    }

    private static void Scatter(StringBuilder text, Figure figure, ScatterLayer scatter)
    {
        text.AppendLine($"{Label("point")} {figure.X.Title,12} {figure.Y.Title,12}");
        foreach (var point in scatter.Points)
            text.AppendLine($"{Label(point.Label)} {FigureSvg.Format(point.X),12} {FigureSvg.Format(point.Y),12}{(point.Group is null ? "" : "  " + point.Group)}");
    }

    private static string Bar(Ticks ticks, double value)
    {
        var eighths = (int)Math.Round(Math.Clamp(ticks.Position(value), 0, 1) * BarWidth * 8);
        var bar = new string('█', eighths / 8) + (eighths % 8 > 0 ? "▏▎▍▌▋▊▉"[eighths % 8 - 1].ToString() : "");
        return bar.PadRight(BarWidth);
    }

    private static string Label(string label) => Fit(label.Replace("\n", "↵"), LabelWidth).PadRight(LabelWidth);

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
