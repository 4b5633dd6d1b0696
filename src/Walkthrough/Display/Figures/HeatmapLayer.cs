namespace Walkthrough.Display;

/// <summary>
/// A grid of values, <c>Values[row][column]</c>, with a label for every row and column (tokens on both axes of an
/// attention map). Darker is higher. <see cref="Masked"/> cells are drawn hatched and grey, apart from the scale —
/// the future positions a causal mask hides, say; <see cref="CellText"/> writes a text in each cell (the top token of
/// a logit-lens table).
/// </summary>
public sealed record HeatmapLayer(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<double>> Values) : Layer
{
    /// <summary><c>Masked[row][column]</c>: true where the cell has no value to show.</summary>
    public IReadOnlyList<IReadOnlyList<bool>>? Masked { get; init; }

    /// <summary><c>CellText[row][column]</c>: drawn in the cell; null or empty for none.</summary>
    public IReadOnlyList<IReadOnlyList<string?>>? CellText { get; init; }

    /// <summary><c>Tooltips[row][column]</c>; null gives "row, column: value".</summary>
    public IReadOnlyList<IReadOnlyList<string?>>? Tooltips { get; init; }

    public ColourScale Scale { get; init; } = ColourScale.Blues;

    /// <summary>The value drawn lightest; null takes the smallest unmasked value.</summary>
    public double? Min { get; init; }

    /// <summary>The value drawn darkest; null takes the largest unmasked value.</summary>
    public double? Max { get; init; }

    /// <summary>How the scale's ends and default tooltips write values (a .NET format string).</summary>
    public string Format { get; init; } = "0.###";

    /// <summary>Pixels per row; columns are as wide as the figure allows.</summary>
    public int CellHeight { get; init; } = 22;

    public bool IsMasked(int row, int column) => Masked is { } mask && mask[row][column];

    /// <summary>Rows of one length, the number of column labels, and masks and texts of the same shape.</summary>
    internal void Validate()
    {
        if (Values.Count != Rows.Count)
            throw new WalkthroughException($"A heatmap has {Rows.Count} row labels but {Values.Count} rows of values.");
        for (var r = 0; r < Values.Count; r++)
        {
            if (Values[r].Count != Columns.Count)
                throw new WalkthroughException($"Heatmap row {r} ({Rows[r]}) has {Values[r].Count} values for {Columns.Count} columns.");
            if (Masked is { } mask && (mask.Count != Rows.Count || mask[r].Count != Columns.Count))
                throw new WalkthroughException($"A heatmap's mask must have the shape of its values ({Rows.Count} × {Columns.Count}).");
            if (CellText is { } text && (text.Count != Rows.Count || text[r].Count != Columns.Count))
                throw new WalkthroughException($"A heatmap's cell texts must have the shape of its values ({Rows.Count} × {Columns.Count}).");
        }
    }
}
