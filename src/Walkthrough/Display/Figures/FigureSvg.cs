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
    private const int MaxLabel = 28; // characters of a category label before it is cut

    public static string Render(Figure figure)
    {
        var canvas = new SvgCanvas();
        var (width, height) = figure.Layers.OfType<HeatmapLayer>().FirstOrDefault() is { } heatmap
            ? DrawHeatmap(canvas, figure, heatmap)
            : figure.Layers.OfType<ScatterLayer>().FirstOrDefault() is { } scatter
                ? DrawScatter(canvas, figure, scatter)
                : DrawCategories(canvas, figure);
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wt-chart\" width=\"{SvgCanvas.N(width)}\" height=\"{SvgCanvas.N(height)}\" " +
            $"viewBox=\"0 0 {SvgCanvas.N(width)} {SvgCanvas.N(height)}\" font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" role=\"img\">" +
            $"<title>{SvgCanvas.Escape(figure.Title)}</title>" +
            "<style>.wt-m:hover{stroke:#111827;stroke-width:2}</style>" +
            $"<rect width=\"{SvgCanvas.N(width)}\" height=\"{SvgCanvas.N(height)}\" fill=\"#ffffff\"/>" +
            canvas + "</svg>";
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
        var scaleLabel = Math.Max(SvgCanvas.Width(Format(min, heat.Format)), SvgCanvas.Width(Format(max, heat.Format)));
        var right = Pad + 12 + 8 + Math.Max(scaleLabel, heat.Masked is null ? 0 : SvgCanvas.Width("masked")) + 4;
        var cell = Math.Clamp((figure.Width - left - right) / Math.Max(1, columns.Count), 14, 72);
        var width = Math.Max(figure.Width, left + cell * columns.Count + right);
        var longest = columns.Select(c => SvgCanvas.Width(c)).DefaultIfEmpty(0).Max();
        var rotate = longest + 4 > cell;
        var bottom = (rotate ? longest * 0.66 + 22 : 22) + (figure.X.Title.Length > 0 ? 20 : 0);
        var top = Header(canvas, figure, left, []);
        var gridHeight = heat.CellHeight * rows.Count;
        var height = figure.Height ?? top + gridHeight + bottom;
        var textSize = Math.Min(11, heat.CellHeight - 9);
        var textFits = (int)((cell - 4) / (SvgCanvas.CharWidth * textSize / SvgCanvas.FontSize));

        canvas.Raw("<g stroke=\"#ffffff\" stroke-width=\"1\">"); // a white gap between cells
        for (var r = 0; r < rows.Count; r++)
        {
            var y = top + r * heat.CellHeight;
            canvas.Text(left - 6, y + heat.CellHeight / 2 + 4, rows[r], "end", stroke: false);
            for (var c = 0; c < columns.Count; c++)
            {
                var x = left + c * cell;
                if (heat.IsMasked(r, c))
                {
                    canvas.Rect(x, y, cell, heat.CellHeight, "#f3f4f6", heat.Tooltips?[r][c] ?? $"{heat.Rows[r]} × {heat.Columns[c]}: masked");
                    canvas.Path($"M{SvgCanvas.N(x + 3)} {SvgCanvas.N(y + heat.CellHeight - 3)}L{SvgCanvas.N(x + cell - 3)} {SvgCanvas.N(y + 3)}", "#d1d5db");
                    continue;
                }
                var value = heat.Values[r][c];
                var t = (value - min) / (max - min);
                canvas.Rect(x, y, cell, heat.CellHeight, heat.Scale.At(t), heat.Tooltips?[r][c] ?? $"{heat.Rows[r]} × {heat.Columns[c]}: {Format(value, heat.Format)}");
                if (heat.CellText?[r][c] is { Length: > 0 } text && textFits >= 2)
                    canvas.Text(x + cell / 2, y + heat.CellHeight / 2 + textSize / 3, SvgCanvas.Fit(text, textFits), "middle", textSize,
                        heat.Scale.IsDark(t) ? "#ffffff" : "#111827", stroke: false);
            }
        }
        canvas.Raw("</g>");
        var gridBottom = top + gridHeight;
        for (var c = 0; c < columns.Count; c++)
        {
            var x = left + cell * (c + 0.5);
            if (rotate) canvas.Text(x + 4, gridBottom + 12, columns[c], "end", rotate: -40);
            else canvas.Text(x, gridBottom + 15, columns[c], "middle");
        }

        // The colour scale: dark (high) at the top, light (low) at the bottom, and the masked swatch under it.
        var scaleX = left + cell * columns.Count + Pad;
        var steps = 12;
        var scaleHeight = Math.Max(60, Math.Min(gridHeight, 160));
        for (var i = 0; i < steps; i++)
            canvas.Rect(scaleX, top + i * scaleHeight / steps, 12, scaleHeight / steps + 0.5, heat.Scale.At(1 - (i + 0.5) / steps));
        canvas.Text(scaleX + 18, top + 9, Format(max, heat.Format));
        canvas.Text(scaleX + 18, top + scaleHeight, Format(min, heat.Format));
        if (heat.Masked is not null)
        {
            canvas.Rect(scaleX, top + scaleHeight + 8, 12, 12, "#f3f4f6");
            canvas.Path($"M{SvgCanvas.N(scaleX + 1)} {SvgCanvas.N(top + scaleHeight + 19)}L{SvgCanvas.N(scaleX + 11)} {SvgCanvas.N(top + scaleHeight + 9)}", "#9ca3af");
            canvas.Text(scaleX + 18, top + scaleHeight + 18, "masked");
        }
        if (figure.X.Title.Length > 0) canvas.Text(left + cell * columns.Count / 2, height - 8, figure.X.Title, "middle", fill: Ink);
        if (figure.Y.Title.Length > 0) canvas.Text(Pad + 4, top + gridHeight / 2, figure.Y.Title, "middle", rotate: -90);
        return (width, height);
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
