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
    /// is framed. <paramref name="positions"/> cuts a long prompt (<c>^12..</c>: the last twelve).
    /// </summary>
    public static Figure Lens(LogitLens lens, Range? positions = null)
    {
        var shown = ChartPositions.Cut(lens.Tokens.Count, positions, "positions", "e.g. lens.Chart(positions: ^16..) for the last 16");
        IReadOnlyList<IReadOnlyList<T>> Grid<T>(Func<int, int, T> cell) =>
            lens.Layers.Select((_, r) => (IReadOnlyList<T>)shown.Select(c => cell(r, c)).ToList()).ToList();
        var heat = new HeatmapLayer(lens.Layers.Select(l => l.Name).ToList(), shown.Select(c => $"{lens.Tokens[c].Index}: {lens.Tokens[c].Text}").ToList(),
            Grid((r, c) => lens.Layers[r].Positions[c].Best.Probability))
        {
            Min = 0,
            Max = 1,
            CellText = Grid<string?>((r, c) => lens.Layers[r].Positions[c].Best.Text),
            Outlined = Grid(lens.IsNextToken),
            OutlineLabel = "real next token",
            Tooltips = Grid<string?>((r, c) => Tooltip(lens, lens.Layers[r], c)),
            Format = "0.#",
            CellHeight = 26,
        };
        return Figure.Heatmap($"Logit lens: what {lens.Model} would predict after each layer", heat, "the token read (position)", "read after") with
        {
            Width = Math.Max(720, shown.Count * CellWidth + 240),
            Text = positions is null ? lens.ToString() : null, // the lens's own grid, probabilities written out
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
