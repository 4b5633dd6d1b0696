using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>
/// Pictures of attention: one head as a query × key heatmap (the causal triangle and the sliding window greyed),
/// a layer's heads side by side, and where the last token looks in each head.
/// </summary>
public static class AttentionCharts
{
    private const int MostCellTexts = 16;      // columns up to which each cell's share is written in it
    private const int MostPanelPositions = 32; // tokens up to which a layer's heads are drawn side by side

    /// <summary>
    /// One head: row q is the token at position q looking back, column k a token it may look at; the colour is the share
    /// of its attention (each full row sums to 1). Masked cells — later tokens, and tokens further back than a sliding
    /// window — are grey. <paramref name="queries"/> and <paramref name="keys"/> cut out a part of a long prompt.
    /// </summary>
    public static Figure Map(AttentionMap map, Range? queries = null, Range? keys = null)
    {
        var hint = "e.g. map.Chart(queries: ^16.., keys: ^16..) for the last 16 positions";
        var (rows, columns) = (ChartPositions.Cut(map.Weights.Length, queries, "queries", hint), ChartPositions.Cut(map.Weights.Length, keys, "keys", hint));
        var whole = rows.Count == map.Weights.Length && columns.Count == map.Weights.Length;
        var heat = Heatmap(map, rows, columns);
        if (columns.Count <= MostCellTexts) heat = heat with { CellText = Grid(rows, columns, (q, k) => CellShare(map, q, k)) };
        var title = $"Layer {map.Layer}, head {map.Head}: where each token looks" +
            (whole ? "" : $" (queries {rows[0]}–{rows[^1]}, keys {columns[0]}–{columns[^1]})");
        return Figure.Heatmap(title, heat, "looked at (key)", "looking (query)") with
        {
            Caption = "A row is a token reading the ones before it; dark = a large share (a whole row sums to 1). Grey: masked.",
        };
    }

    /// <summary>Every recorded head of a layer as small multiples, on one 0..1 scale: compare where they look.</summary>
    public static Figure Heads(AttentionLayer layer, int columns = 3)
    {
        if (layer.Heads.Count == 0) throw new WalkthroughException($"Layer {layer.Layer} has no recorded heads to draw.");
        var count = layer.Heads[0].Weights.Length;
        if (count > MostPanelPositions)
            throw new WalkthroughException($"Heads side by side need a prompt of at most {MostPanelPositions} tokens; this one has {count}: " +
                $"draw one head and cut it, trace.Attention({layer.Layer}, {layer.Heads[0].Head}).Chart(queries: ^16.., keys: ^16..).");
        var all = Enumerable.Range(0, count).ToList();
        var panels = layer.Heads.Select(map =>
            Figure.Heatmap($"head {map.Head}" + (map.Grouped ? $" (key/value head {map.KeyValueHead})" : ""),
                Heatmap(map, all, all) with
                {
                    ShowScale = false,
                    CellHeight = Math.Clamp(200 / all.Count, 12, 22),
                    Tooltips = Grid(all, all, (q, k) => map.Allowed[q][k] ? Tooltip(map, q, k) : null), // masked: the caption says it once
                }) with { Width = 320 }).ToList();
        return Figure.Panels($"Layer {layer.Layer}: {layer.Heads.Count} heads side by side", panels, columns) with
        {
            Caption = "Each head reads the same tokens its own way. Rows look, columns are looked at; dark = a large share; grey: masked.",
        };
    }

    /// <summary>
    /// For each head (a row), how the last token shares its attention over the prompt — where the model looks when it
    /// predicts the next token — with the token each head takes most from framed.
    /// </summary>
    public static Figure LastToken(AttentionLayer layer, Range? keys = null)
    {
        if (layer.Heads.Count == 0) throw new WalkthroughException($"Layer {layer.Layer} has no recorded heads to draw.");
        var maps = layer.Heads;
        var last = maps[0].Weights.Length - 1;
        var shown = ChartPositions.Cut(last + 1, keys, "keys", "e.g. LastTokenChart(keys: ^32..) for the last 32 tokens (LastTokenFocus lists each head's strongest anywhere)");
        var focus = layer.LastTokenFocus;
        var heads = Enumerable.Range(0, maps.Count).ToList();
        var heat = new HeatmapLayer(maps.Select(m => $"head {m.Head}").ToList(), shown.Select(k => Label(maps[0], k)).ToList(),
            Grid(heads, shown, (h, k) => (double)maps[h].Weights[last][k]))
        {
            Min = 0,
            Max = 1,
            Masked = Grid(heads, shown, (h, k) => !maps[h].Allowed[last][k]),
            Outlined = Grid(heads, shown, (h, k) => k == focus[h].Position),
            OutlineLabel = "looked at most",
            CellText = shown.Count <= MostCellTexts ? Grid(heads, shown, (h, k) => CellShare(maps[h], last, k)) : null,
            Tooltips = Grid<string?>(heads, shown, (h, k) => $"head {maps[h].Head}: {Tooltip(maps[h], last, k)}"),
            Format = "0.#",
        };
        return Figure.Heatmap($"Layer {layer.Layer}: where the last token, {Quote(maps[0].Tokens[last].Text)}, looks in each head", heat, "looked at (key)", "head") with
        {
            Caption = "The last token's row of each head: what it reads to predict the next token. Framed: each head's largest share.",
        };
    }

    private static HeatmapLayer Heatmap(AttentionMap map, IReadOnlyList<int> rows, IReadOnlyList<int> columns) =>
        new(rows.Select(q => Label(map, q)).ToList(), columns.Select(k => Label(map, k)).ToList(),
            rows.Select(q => (IReadOnlyList<double>)columns.Select(k => (double)map.Weights[q][k]).ToList()).ToList())
        {
            Min = 0,
            Max = 1,
            Masked = Grid(rows, columns, (q, k) => !map.Allowed[q][k]),
            Tooltips = Grid(rows, columns, (q, k) => Tooltip(map, q, k)),
            Format = "0.#",
        };

    // "▁Wednesday (5) looks at , (2): 0.450"; a masked cell says why.
    private static string Tooltip(AttentionMap map, int q, int k)
    {
        var (who, whom) = ($"{map.Tokens[q].Text} ({q})", $"{map.Tokens[k].Text} ({k})");
        return map.Allowed[q][k] ? $"{who} looks at {whom}: {map.Weights[q][k].ToString("0.000", CultureInfo.InvariantCulture)}"
            : k > q ? $"{who} cannot see {whom}: it comes later"
            : $"{who} cannot see {whom}: outside the sliding window";
    }

    private static IReadOnlyList<IReadOnlyList<T>> Grid<T>(IReadOnlyList<int> rows, IReadOnlyList<int> columns, Func<int, int, T> cell) =>
        rows.Select(q => (IReadOnlyList<T>)columns.Select(k => cell(q, k)).ToList()).ToList();

    /// <summary>A position and its token, as both axes show it: "5: ▁Wednesday".</summary>
    private static string Label(AttentionMap map, int position) => $"{position}: {map.Tokens[position].Text}";

    // A share as a cell shows it: ".45", "1"; nothing where it rounds to 0 or the cell is masked.
    private static string? CellShare(AttentionMap map, int q, int k)
    {
        var p = map.Weights[q][k];
        return !map.Allowed[q][k] || p < 0.005 ? null : p >= 0.995 ? "1" : p.ToString(".00", CultureInfo.InvariantCulture);
    }

    private static string Quote(string text) => $"'{text}'";
}
