using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>Pictures of the embedding matrix: its rows as coloured numbers, tokens on a flat map, a token's nearest tokens.</summary>
public static class EmbeddingCharts
{
    private const int CellWidth = 46; // pixels: room for "-0.12" in each cell

    /// <summary>
    /// The matrix the seed promised: one row per token id, its first numbers written in the cells, red above zero and
    /// blue below on a scale symmetric about 0.
    /// </summary>
    public static Figure Rows(EmbeddingRows rows)
    {
        var columns = rows.Values.Length == 0 ? 0 : rows.Values[0].Length;
        if (rows.Ids.Count > ChartPositions.Most || columns > ChartPositions.Most)
            throw new WalkthroughException($"{rows.Ids.Count} rows × {columns} numbers are more than a chart draws ({ChartPositions.Most} a side): " +
                "ask for fewer, e.g. model.Embeddings.Rows(0, 16, columns: 12).");
        var largest = rows.Values.SelectMany(r => r).Select(v => Math.Abs((double)v)).DefaultIfEmpty(1).Max();
        var heat = new HeatmapLayer(rows.Ids.Select((id, r) => $"{id}: {rows.Texts[r]}").ToList(), Enumerable.Range(0, columns).Select(c => $"[{c}]").ToList(),
            rows.Values.Select(r => (IReadOnlyList<double>)r.Select(v => (double)v).ToList()).ToList())
        {
            Scale = ColourScale.RedBlue,
            Min = -largest,
            Max = largest,
            CellText = rows.Values.Select(r => (IReadOnlyList<string?>)r.Select(v => Hundredths(v)).ToList()).ToList(),
            Tooltips = rows.Values.Select((r, i) => (IReadOnlyList<string?>)r.Select((v, c) =>
                $"{rows.Texts[i]} (id {rows.Ids[i]}), number {c}: {v.ToString("0.0000", CultureInfo.InvariantCulture)}").ToList()).ToList(),
            Format = "0.00",
        };
        var shown = columns < rows.Dimension ? $"the first {columns} of its {rows.Dimension} numbers" : $"its {rows.Dimension} numbers";
        return Figure.Heatmap($"{rows.Ids.Count} rows of the embedding matrix: each token id's row, {shown}", heat, "number in the row", "token id") with
        {
            Width = Math.Max(720, columns * CellWidth + 300),
            Caption = "A token id picks a row; the row is the vector the model starts from. Red: above 0, blue: below 0.",
        };
    }

    // Two decimals, and never "-0.00".
    private static string Hundredths(float v) => (Math.Round(v, 2) is var r && r == 0 ? 0 : r).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Chosen tokens on the first two principal components of their rows, coloured by group: alike lands near alike.</summary>
    public static Figure Map(EmbeddingPca pca)
    {
        var points = pca.Points.Select(p => new ScatterPoint(p.X, p.Y, p.Text)
        {
            Group = p.Group,
            Tooltip = $"{p.Text}{(p.Group is null ? "" : $" ({p.Group})")}, id {p.Id}: ({p.X.ToString("0.000", CultureInfo.InvariantCulture)}, {p.Y.ToString("0.000", CultureInfo.InvariantCulture)})",
        }).ToList();
        var kept = string.Join(" + ", pca.ExplainedRatio.Select(r => (r * 100).ToString("0", CultureInfo.InvariantCulture) + " %"));
        return Figure.Scatter($"{pca.Points.Count} tokens on a map of their embeddings", points, "principal component 1", "principal component 2") with
        {
            Caption = $"The two directions in which these rows differ most, keeping {kept} of their spread. Near = alike.",
        };
    }

    /// <summary>The nearest tokens as bars of cosine similarity, best first.</summary>
    public static Figure Nearest(NearestTokens nearest)
    {
        var bars = nearest.Nearest.Select(n => new Datum(n.Cosine)
        {
            Text = n.Cosine.ToString("0.000", CultureInfo.InvariantCulture),
            Tooltip = $"{n.Text} (id {n.Id}): cosine {n.Cosine.ToString("0.000", CultureInfo.InvariantCulture)}",
        }).ToList();
        return Figure.Bars($"The tokens whose vectors point most nearly the way {nearest.Token.Text}'s does", nearest.Nearest.Select(n => $"'{n.Text}'").ToList(), bars,
                "token", "cosine similarity")
            with
            {
                Y = new Axis("cosine similarity") { Min = 0, Max = 1 },
                Caption = "Cosine similarity of two rows: 1 = the same direction, 0 = unrelated.",
            };
    }
}
