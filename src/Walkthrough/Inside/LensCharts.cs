using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>The logit lens as ecco draws it: layers down, positions across, the top token written in each cell.</summary>
public static class LensCharts
{
    private const int CellWidth = 88; // pixels: room for a whole word such as ▁Wednesday
    /// <summary>
    /// A row per layer (the embeddings first, the model's own output last), a column per position: each cell names the
    /// token the model would predict next if it stopped there, coloured by its probability; the prompt's real next token
    /// is framed.
    /// </summary>
    public static Figure Lens(LogitLens lens)
    {
        var columns = lens.Tokens.Select((t, i) => $"{t.Index}: {t.Text}").ToList();
        var heat = new HeatmapLayer(lens.Layers.Select(l => l.Name).ToList(), columns,
            lens.Layers.Select(l => (IReadOnlyList<double>)l.Positions.Select(p => p.Best.Probability).ToList()).ToList())
        {
            Min = 0,
            Max = 1,
            CellText = lens.Layers.Select(l => (IReadOnlyList<string?>)l.Positions.Select(p => p.Best.Text).ToList()).ToList(),
            Outlined = lens.Layers.Select((l, r) => (IReadOnlyList<bool>)l.Positions.Select((_, c) => lens.IsNextToken(r, c)).ToList()).ToList(),
            OutlineLabel = "real next token",
            Tooltips = lens.Layers.Select(l => (IReadOnlyList<string?>)l.Positions.Select((p, c) => Tooltip(lens, l, c)).ToList()).ToList(),
            Format = "0.#",
            CellHeight = 26,
        };
        return Figure.Heatmap($"Logit lens: what {lens.Model} would predict after each layer", heat, "the token read (position)", "read after") with
        {
            Width = Math.Max(720, columns.Count * CellWidth + 240),
            Text = lens.ToString(),
            Caption = "Each cell: the next token if the model stopped at that layer; dark = sure. Framed: the prompt's real next token.",
        };
    }

    private static string Tooltip(LogitLens lens, LensLayer layer, int position)
    {
        var top = string.Join(", ", lens.Layers[layer.Layer].Positions[position].Top.Select(p => $"{p.Text} {p.Probability.ToString("0.000", CultureInfo.InvariantCulture)}"));
        var next = position + 1 < lens.Tokens.Count ? $" (the prompt goes on with {lens.Tokens[position + 1].Text})" : "";
        return $"{layer.Name}, after {lens.Tokens[position].Text}: {top}{next}";
    }
}
