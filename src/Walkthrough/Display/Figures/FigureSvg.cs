using System.Text;

namespace Walkthrough.Display;

/// <summary>
/// Draws a <see cref="Figure"/> as SVG, by the kit's own code: no chart library, no script, nothing fetched, so the
/// picture is the same in VS Code, Jupyter, GitHub's preview and an offline page. Three layouts: categories along x
/// (bars, lines, reference lines), a grid (heatmap) and two value axes (scatter).
/// </summary>
internal static class FigureSvg
{
    private const double Pad = 16;
    private const string Grid = "#e5e7eb";
    private const string Ink = "#374151";
    private const string Outline = "#f59e0b"; // amber: the frame of a cell that stands out
    private const int MaxLabel = 28; // characters of a category label before it is cut

    public static string Render(Figure figure)
    {
        var canvas = new SvgCanvas();
        var (width, height) = Draw(canvas, figure);
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wt-chart\" width=\"{SvgCanvas.N(width)}\" height=\"{SvgCanvas.N(height)}\" " +
            $"viewBox=\"0 0 {SvgCanvas.N(width)} {SvgCanvas.N(height)}\" font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" role=\"img\">" +
            $"<title>{SvgCanvas.Escape(figure.Title)}</title>" +
            "<style>.wt-m:hover{stroke:#111827;stroke-width:2}</style>" +
            $"<rect width=\"{SvgCanvas.N(width)}\" height=\"{SvgCanvas.N(height)}\" fill=\"#ffffff\"/>" +
            canvas + "</svg>";
    }

    private static (double Width, double Height) Draw(SvgCanvas canvas, Figure figure) =>
        figure.Layers.OfType<PanelsLayer>().FirstOrDefault() is { } panels ? DrawPanels(canvas, figure, panels)
        : figure.Layers.OfType<HeatmapLayer>().FirstOrDefault() is { } heatmap ? DrawHeatmap(canvas, figure, heatmap)
        : figure.Layers.OfType<ScatterLayer>().FirstOrDefault() is { } scatter ? DrawScatter(canvas, figure, scatter)
        : DrawCategories(canvas, figure);

    // Each panel drawn on its own canvas, then placed on a grid of equal cells under the figure's title.
    private static (double Width, double Height) DrawPanels(SvgCanvas canvas, Figure figure, PanelsLayer layer)
    {
        var top = Header(canvas, figure, Pad, []) - 6;
        var panels = layer.Panels.Select(panel =>
        {
            var own = new SvgCanvas();
            var (w, h) = Draw(own, panel);
            return (Canvas: own, Width: w, Height: h);
        }).ToList();
        var columns = Math.Min(layer.Columns, panels.Count);
        var (cellWidth, cellHeight) = (panels.Max(p => p.Width), panels.Max(p => p.Height));
        for (var i = 0; i < panels.Count; i++)
        {
            canvas.Raw($"<g transform=\"translate({SvgCanvas.N(cellWidth * (i % columns))} {SvgCanvas.N(top + cellHeight * (i / columns))})\">");
            canvas.Raw(panels[i].Canvas.ToString());
            canvas.Raw("</g>");
        }
        var rows = (panels.Count + columns - 1) / columns;
        return (Math.Max(cellWidth * columns, Pad * 2 + SvgCanvas.Width(figure.Title, 15)), top + cellHeight * rows);
    }

    // Title, caption and legend; returns where the plot may start.
    private static double Header(SvgCanvas canvas, Figure figure, double left, IReadOnlyList<(string Name, string Colour)> legend)
    {
        canvas.Text(Pad, 22, figure.Title, size: 15, fill: "#111827", bold: true);
        var y = 30.0;
        if (figure.Caption is { } caption)
        {
            canvas.Text(Pad, 44, caption, fill: "#4b5563");
            y = 52;
        }
        if (legend.Count > 0)
        {
            var x = Math.Max(left, Pad);
            foreach (var (name, colour) in legend)
            {
                canvas.Rect(x, y + 4, 11, 11, colour);
                canvas.Text(x + 15, y + 14, name);
                x += 15 + SvgCanvas.Width(name) + 16;
            }
            y += 22;
        }
        return y + 10;
    }

    private static (double Width, double Height) DrawCategories(SvgCanvas canvas, Figure figure)
    {
        var bars = figure.Layers.OfType<BarLayer>().ToList();
        var lines = figure.Layers.OfType<LineLayer>().ToList();
        var rules = figure.Layers.OfType<RuleLayer>().ToList();
        var categories = bars.Select(b => b.Categories).Concat(lines.Select(l => l.Categories)).FirstOrDefault() ?? [];
        var leftSeries = bars.SelectMany(b => b.Series).Concat(lines.SelectMany(l => l.Series).Where(s => !s.RightAxis)).ToList();
        var rightSeries = lines.SelectMany(l => l.Series).Where(s => s.RightAxis).ToList();

        var leftValues = bars.SelectMany(BarExtents).Concat(lines.SelectMany(l => l.Series.Where(s => !s.RightAxis)).SelectMany(s => s.Data.Select(d => d.Value)))
            .Concat(rules.Select(r => r.Value));
        var y = Ticks.For(figure.Y, leftValues);
        var y2 = figure.Y2 is { } axis2 ? Ticks.For(axis2, rightSeries.SelectMany(s => s.Data.Select(d => d.Value))) : null;

        var left = Pad + (figure.Y.Title.Length > 0 ? 18 : 0) + y.Values.Max(v => SvgCanvas.Width(y.Label(v))) + 8;
        var right = y2 is null ? Pad + 8 : Pad + 18 + y2.Values.Max(v => SvgCanvas.Width(y2.Label(v))) + 8;
        var width = (double)figure.Width;
        var plotWidth = width - left - right;
        var band = plotWidth / Math.Max(1, categories.Count);
        var labels = categories.Select(c => SvgCanvas.Fit(c, MaxLabel)).ToList();
        var longest = labels.Select(l => SvgCanvas.Width(l)).DefaultIfEmpty(0).Max();
        var rotate = longest + 6 > band;
        var bottom = (rotate ? longest * 0.66 + 24 : 24) + (figure.X.Title.Length > 0 ? 20 : 0);

        var legend = leftSeries.Concat(rightSeries).Select((s, i) => (s, i)).Where(e => e.s.Name.Length > 0).ToList(); // i: the colour's index
        var colours = leftSeries.Concat(rightSeries).Select((s, i) => s.Colour ?? Figure.Palette[i % Figure.Palette.Count]).ToList();
        var showLegend = leftSeries.Count + rightSeries.Count > 1 || rightSeries.Count > 0;
        var top = Header(canvas, figure, left, showLegend ? legend.Select(e => (e.s.Name, colours[e.i])).ToList() : []);
        var height = Math.Max(figure.Height ?? 360, top + 180 + bottom);
        var plotBottom = height - bottom;
        var headroom = bars.Any(b => b.Series.Any(s => s.Data.Any(d => d.Text is not null))) ? 16 : 0;
        double Y(Ticks t, double v) => plotBottom - t.Position(v) * (plotBottom - top - headroom);

        foreach (var tick in y.Values)
        {
            canvas.Line(left, Y(y, tick), width - right, Y(y, tick), Grid);
            canvas.Text(left - 6, Y(y, tick) + 4, y.Label(tick), "end");
        }
        if (y2 is not null)
        {
            foreach (var tick in y2.Values) canvas.Text(width - right + 6, Y(y2, tick) + 4, y2.Label(tick));
            canvas.Text(width - Pad, (top + plotBottom) / 2, figure.Y2!.Title, "middle", rotate: 90);
        }
        canvas.Line(left, plotBottom, width - right, plotBottom, "#9ca3af");

        var seriesIndex = 0;
        foreach (var layer in bars)
        {
            DrawBars(canvas, layer, categories.Count, left, band, v => Y(y, v), Y(y, y.Scale == AxisScale.Log ? y.Min : Math.Max(y.Min, 0)), colours.Skip(seriesIndex).ToList());
            seriesIndex += layer.Series.Count;
        }
        foreach (var layer in lines)
        {
            foreach (var series in layer.Series)
            {
                var ticks = series.RightAxis && y2 is not null ? y2 : y;
                var colour = colours[seriesIndex++];
                var points = series.Data.Select((d, i) => (X: left + band * (i + 0.5), Y: Y(ticks, d.Value))).ToList();
                canvas.Polyline(points, colour, series.Name);
                for (var i = 0; i < points.Count; i++)
                {
                    var datum = series.Data[i];
                    canvas.Circle(points[i].X, points[i].Y, datum.Emphasis == Emphasis.Highlight ? 5 : 3.5, datum.Colour ?? colour,
                        datum.Tooltip ?? $"{categories.ElementAtOrDefault(i)}: {series.Name} {Format(datum.Value)}");
                }
            }
        }
        foreach (var rule in rules)
        {
            var at = Y(y, rule.Value);
            canvas.Line(left, at, width - right, at, rule.Colour, 1.5, "6 4");
            canvas.Text(width - right - 4, at - 5, rule.Label, "end", fill: rule.Colour);
        }
        for (var i = 0; i < labels.Count; i++)
        {
            var x = left + band * (i + 0.5);
            if (rotate) canvas.Text(x + 4, plotBottom + 12, labels[i], "end", rotate: -40);
            else canvas.Text(x, plotBottom + 16, labels[i], "middle");
        }
        if (figure.X.Title.Length > 0) canvas.Text(left + plotWidth / 2, height - 8, figure.X.Title, "middle", fill: Ink);
        if (figure.Y.Title.Length > 0) canvas.Text(Pad + 4, (top + plotBottom) / 2, figure.Y.Title, "middle", rotate: -90);
        return (width, height);
    }

    // Every height the value axis must reach: each bar, or each stack's total.
    private static IEnumerable<double> BarExtents(BarLayer layer) =>
        layer.Stacked
            ? layer.Categories.Select((_, i) => layer.Series.Sum(s => i < s.Data.Count ? Math.Max(0, s.Data[i].Value) : 0))
            : layer.Series.SelectMany(s => s.Data.Select(d => d.Value));

    private static void DrawBars(SvgCanvas canvas, BarLayer layer, int count, double left, double band, Func<double, double> y, double baseline, IReadOnlyList<string> colours)
    {
        var groups = layer.Stacked ? 1 : layer.Series.Count;
        var inner = band * (groups > 1 ? 0.84 : 0.7);
        var barWidth = inner / groups - (groups > 1 ? 1 : 0);
        var textSize = barWidth < 26 ? 9.5 : 11;
        for (var i = 0; i < count; i++)
        {
            var stack = 0.0;
            for (var s = 0; s < layer.Series.Count; s++)
            {
                var series = layer.Series[s];
                if (i >= series.Data.Count) continue;
                var datum = series.Data[i];
                var x = left + band * i + (band - inner) / 2 + (layer.Stacked ? 0 : s * (barWidth + (groups > 1 ? 1 : 0)));
                var (from, to) = layer.Stacked ? (y(stack), y(stack + datum.Value)) : (baseline, y(datum.Value));
                if (layer.Stacked) stack += datum.Value;
                var fill = datum.Emphasis == Emphasis.Muted ? Figure.MutedColour : datum.Colour ?? colours[s % colours.Count];
                var outline = datum.Emphasis == Emphasis.Highlight ? "stroke=\"#111827\" stroke-width=\"2\"" : null;
                var tooltip = datum.Tooltip ?? $"{layer.Categories[i]}{(series.Name.Length > 0 ? ", " + series.Name : "")}: {Format(datum.Value)}";
                canvas.Rect(x, Math.Min(from, to), barWidth, Math.Max(Math.Abs(from - to), 0.5), fill, tooltip, outline);
                if (datum.Text is { } text)
                {
                    var textY = layer.Stacked ? (from + to) / 2 + 4 : Math.Min(from, to) - 4;
                    canvas.Text(x + barWidth / 2, textY, text, "middle", textSize, datum.Emphasis == Emphasis.Muted ? "#9ca3af" : "#111827",
                        bold: datum.Emphasis == Emphasis.Highlight);
                }
            }
        }
    }

    private static (double Width, double Height) DrawHeatmap(SvgCanvas canvas, Figure figure, HeatmapLayer heat)
    {
        heat.Validate();
        var rows = heat.Rows.Select(r => SvgCanvas.Fit(r, MaxLabel)).ToList();
        var columns = heat.Columns.Select(c => SvgCanvas.Fit(c, MaxLabel)).ToList();
        var shown = Enumerable.Range(0, rows.Count).SelectMany(r => Enumerable.Range(0, columns.Count).Where(c => !heat.IsMasked(r, c)).Select(c => heat.Values[r][c]))
            .Where(double.IsFinite).ToList();
        var min = heat.Min ?? shown.DefaultIfEmpty(0).Min();
        var max = heat.Max ?? shown.DefaultIfEmpty(1).Max();
        if (max <= min) max = min + 1;

        var left = Pad + (figure.Y.Title.Length > 0 ? 18 : 0) + rows.Select(r => SvgCanvas.Width(r)).DefaultIfEmpty(0).Max() + 8;
        var scaleLabel = new[] { Format(min, heat.Format), Format(max, heat.Format), heat.Masked is null ? "" : "masked", heat.Outlined is null ? "" : heat.OutlineLabel ?? "" }
            .Max(l => SvgCanvas.Width(l));
        var right = heat.ShowScale ? Pad + 12 + 8 + scaleLabel + 4 : Pad;
        var textSize = Math.Min(11, heat.CellHeight - 9);
        // Cells up to 72 pixels wide, or as wide as their longest text (a whole word of a logit lens), up to 120.
        var widest = heat.CellText?.SelectMany(r => r).Select(t => SvgCanvas.Width(t ?? "", textSize)).DefaultIfEmpty(0).Max() + 12 ?? 0;
        var cell = Math.Clamp((figure.Width - left - right) / Math.Max(1, columns.Count), 14, Math.Clamp(widest, 72, 120));
        var width = Math.Max(figure.Width, left + cell * columns.Count + right);
        var longest = columns.Select(c => SvgCanvas.Width(c)).DefaultIfEmpty(0).Max();
        var rotate = longest + 4 > cell;
        var bottom = (rotate ? longest * 0.66 + 22 : 22) + (figure.X.Title.Length > 0 ? 20 : 0);
        var top = Header(canvas, figure, left, []);
        var gridHeight = heat.CellHeight * rows.Count;
        var scaleHeight = Math.Max(60, Math.Min(gridHeight, 160));
        var legend = heat.ShowScale ? scaleHeight + (heat.Masked is null ? 0 : 18) + (heat.Outlined is null || heat.OutlineLabel is null ? 0 : 18) + 12 : 0;
        var height = figure.Height ?? top + Math.Max(gridHeight + bottom, legend);
        var textFits = (int)((cell - 4) / (SvgCanvas.CharWidth * textSize / SvgCanvas.FontSize));

        // The cells, with a white gap between them; then what cells of a kind share, each kind in one element or group —
        // the hatching of every masked cell as one path, the texts, the frames — so a few hundred cells stay a small file.
        var (hatch, texts, frames, labels) = (new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder());
        canvas.Raw("<g stroke=\"#ffffff\" stroke-width=\"1\">");
        for (var r = 0; r < rows.Count; r++)
        {
            var y = top + r * heat.CellHeight;
            labels.Append($"<text x=\"{SvgCanvas.N(left - 6)}\" y=\"{SvgCanvas.N(y + heat.CellHeight / 2 + 4)}\">{SvgCanvas.Escape(rows[r])}</text>");
            for (var c = 0; c < columns.Count; c++)
            {
                var x = left + c * cell;
                if (heat.IsMasked(r, c))
                {
                    var tooltip = heat.Tooltips is { } given ? given[r][c] : $"{heat.Rows[r]} × {heat.Columns[c]}: masked";
                    var run = 1; // masked neighbours without tooltips share one rectangle
                    while (tooltip is null && c + run < columns.Count && heat.IsMasked(r, c + run) && heat.Tooltips![r][c + run] is null) run++;
                    canvas.Rect(x, y, cell * run, heat.CellHeight, "#f3f4f6", tooltip);
                    for (var i = 0; i < run; i++)
                        hatch.Append($"M{SvgCanvas.N(x + i * cell + 3)} {SvgCanvas.N(y + heat.CellHeight - 3)}L{SvgCanvas.N(x + (i + 1) * cell - 3)} {SvgCanvas.N(y + 3)}");
                    c += run - 1;
                    continue;
                }
                var value = heat.Values[r][c];
                var t = (value - min) / (max - min);
                canvas.Rect(x, y, cell, heat.CellHeight, heat.Scale.At(t), heat.Tooltips?[r][c] ?? $"{heat.Rows[r]} × {heat.Columns[c]}: {Format(value, heat.Format)}");
                if (heat.CellText?[r][c] is { Length: > 0 } text && textFits >= 2)
                    texts.Append($"<text x=\"{SvgCanvas.N(x + cell / 2)}\" y=\"{SvgCanvas.N(y + heat.CellHeight / 2 + textSize / 3)}\" fill=\"{(heat.Scale.IsDark(t) ? "#ffffff" : "#111827")}\">")
                        .Append(SvgCanvas.Escape(SvgCanvas.Fit(text, textFits))).Append("</text>");
                if (heat.IsOutlined(r, c))
                    frames.Append($"<rect x=\"{SvgCanvas.N(x + 1.5)}\" y=\"{SvgCanvas.N(y + 1.5)}\" width=\"{SvgCanvas.N(cell - 3)}\" height=\"{SvgCanvas.N(heat.CellHeight - 3)}\"/>");
            }
        }
        canvas.Raw("</g>");
        if (hatch.Length > 0) canvas.Path(hatch.ToString(), "#d1d5db");
        if (texts.Length > 0) canvas.Raw($"<g font-size=\"{SvgCanvas.N(textSize)}\" text-anchor=\"middle\">{texts}</g>");
        if (frames.Length > 0) canvas.Raw($"<g fill=\"none\" stroke=\"{Outline}\" stroke-width=\"2.5\">{frames}</g>");
        canvas.Raw($"<g font-size=\"{SvgCanvas.N(SvgCanvas.FontSize)}\" fill=\"{Ink}\" text-anchor=\"end\">{labels}</g>");
        var gridBottom = top + gridHeight;
        canvas.Raw($"<g font-size=\"{SvgCanvas.N(SvgCanvas.FontSize)}\" fill=\"{Ink}\" text-anchor=\"{(rotate ? "end" : "middle")}\">");
        for (var c = 0; c < columns.Count; c++)
        {
            var (x, y) = rotate ? (left + cell * (c + 0.5) + 4, gridBottom + 12) : (left + cell * (c + 0.5), gridBottom + 15);
            canvas.Raw($"<text x=\"{SvgCanvas.N(x)}\" y=\"{SvgCanvas.N(y)}\"{(rotate ? $" transform=\"rotate(-40 {SvgCanvas.N(x)} {SvgCanvas.N(y)})\"" : "")}>{SvgCanvas.Escape(columns[c])}</text>");
        }
        canvas.Raw("</g>");

        if (heat.ShowScale) DrawScale(canvas, heat, left + cell * columns.Count + Pad, top, scaleHeight, min, max);
        if (figure.X.Title.Length > 0) canvas.Text(left + cell * columns.Count / 2, top + gridHeight + bottom - 8, figure.X.Title, "middle", fill: Ink);
        if (figure.Y.Title.Length > 0) canvas.Text(Pad + 4, top + gridHeight / 2, figure.Y.Title, "middle", rotate: -90);
        return (width, height);
    }

    // The colour scale: dark (high) at the top, light (low) at the bottom; under it the masked and outlined swatches.
    private static void DrawScale(SvgCanvas canvas, HeatmapLayer heat, double x, double top, double height, double min, double max)
    {
        const int steps = 12;
        for (var i = 0; i < steps; i++)
            canvas.Rect(x, top + i * height / steps, 12, height / steps + 0.5, heat.Scale.At(1 - (i + 0.5) / steps));
        canvas.Text(x + 18, top + 9, Format(max, heat.Format));
        canvas.Text(x + 18, top + height, Format(min, heat.Format));
        var y = top + height + 8;
        if (heat.Masked is not null)
        {
            canvas.Rect(x, y, 12, 12, "#f3f4f6");
            canvas.Path($"M{SvgCanvas.N(x + 1)} {SvgCanvas.N(y + 11)}L{SvgCanvas.N(x + 11)} {SvgCanvas.N(y + 1)}", "#9ca3af");
            canvas.Text(x + 18, y + 10, "masked");
            y += 18;
        }
        if (heat.Outlined is not null && heat.OutlineLabel is { } label)
        {
            canvas.Raw($"<rect x=\"{SvgCanvas.N(x + 1)}\" y=\"{SvgCanvas.N(y + 1)}\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"{Outline}\" stroke-width=\"2.5\"/>");
            canvas.Text(x + 18, y + 10, label);
        }
    }

    private static (double Width, double Height) DrawScatter(SvgCanvas canvas, Figure figure, ScatterLayer scatter)
    {
        var groups = scatter.Points.Select(p => p.Group).Where(g => g is not null).Distinct().ToList();
        string Colour(ScatterPoint p) => p.Emphasis == Emphasis.Muted ? Figure.MutedColour
            : p.Group is null ? Figure.Palette[0] : Figure.Palette[groups.IndexOf(p.Group) % Figure.Palette.Count];
        var x = Ticks.For(figure.X with { Min = figure.X.Min ?? Spread(scatter.Points.Select(p => p.X)).Min }, scatter.Points.Select(p => p.X).Append(Spread(scatter.Points.Select(p => p.X)).Max));
        var y = Ticks.For(figure.Y with { Min = figure.Y.Min ?? Spread(scatter.Points.Select(p => p.Y)).Min }, scatter.Points.Select(p => p.Y).Append(Spread(scatter.Points.Select(p => p.Y)).Max));
        var left = Pad + (figure.Y.Title.Length > 0 ? 18 : 0) + y.Values.Max(v => SvgCanvas.Width(y.Label(v))) + 8;
        var right = Pad + 8 + scatter.Points.Select(p => SvgCanvas.Width(SvgCanvas.Fit(p.Label, MaxLabel), 11)).DefaultIfEmpty(0).Max() / 2;
        var width = (double)figure.Width;
        var top = Header(canvas, figure, left, groups.Select(g => (g!, Figure.Palette[groups.IndexOf(g) % Figure.Palette.Count])).ToList());
        var height = (double)(figure.Height ?? 440);
        var bottom = 26 + (figure.X.Title.Length > 0 ? 20 : 0);
        var plotBottom = height - bottom;
        double X(double v) => left + x.Position(v) * (width - right - left);
        double Y(double v) => plotBottom - y.Position(v) * (plotBottom - top);

        foreach (var tick in y.Values)
        {
            canvas.Line(left, Y(tick), width - right, Y(tick), Grid);
            canvas.Text(left - 6, Y(tick) + 4, y.Label(tick), "end");
        }
        foreach (var tick in x.Values)
        {
            canvas.Line(X(tick), top, X(tick), plotBottom, Grid);
            canvas.Text(X(tick), plotBottom + 16, x.Label(tick), "middle");
        }
        foreach (var point in scatter.Points.OrderBy(p => p.Emphasis == Emphasis.Highlight))
        {
            var highlight = point.Emphasis == Emphasis.Highlight;
            canvas.Circle(X(point.X), Y(point.Y), highlight ? 6 : 4.5, Colour(point),
                point.Tooltip ?? $"{point.Label}{(point.Group is null ? "" : $" ({point.Group})")}: ({Format(point.X)}, {Format(point.Y)})",
                highlight ? "stroke=\"#111827\" stroke-width=\"2\"" : "stroke=\"#ffffff\" stroke-width=\"1\"");
            if (scatter.ShowLabels)
                canvas.Text(X(point.X) + 7, Y(point.Y) + 4, SvgCanvas.Fit(point.Label, MaxLabel), size: 11,
                    fill: point.Emphasis == Emphasis.Muted ? "#9ca3af" : "#111827", bold: highlight);
        }
        if (figure.X.Title.Length > 0) canvas.Text((left + width - right) / 2, height - 8, figure.X.Title, "middle", fill: Ink);
        if (figure.Y.Title.Length > 0) canvas.Text(Pad + 4, (top + plotBottom) / 2, figure.Y.Title, "middle", rotate: -90);
        return (width, height);
    }

    // The data's range widened by a twentieth on each side, so no point sits on the frame.
    private static (double Min, double Max) Spread(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (min, max) = (list.Min(), list.Max());
        var margin = Math.Max((max - min) / 20, 1e-9);
        return (min - margin, max + margin);
    }

    public static string Format(double value, string format = "0.###") =>
        value != 0 && Math.Abs(value) < 0.001 && format == "0.###"
            ? value.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
