namespace Walkthrough.Inside;

/// <summary>
/// Principal component analysis of a few rows: the directions along which the rows spread most, and each row's
/// coordinates along them. Works on the smaller of XXᵀ (rows × rows) and XᵀX (columns × columns) of the centred
/// rows, whose eigenvectors give the same components, found by Jacobi rotations (exact for a symmetric matrix).
/// </summary>
/// <param name="Components">count × columns: unit directions, the largest-magnitude entry of each made positive.</param>
/// <param name="Scores">rows × count: each row's coordinate along each component.</param>
/// <param name="Variances">count: the spread (sample variance) along each component.</param>
/// <param name="TotalVariance">The spread of all the rows, summed over every direction.</param>
public sealed record PrincipalComponents(double[][] Components, double[][] Scores, double[] Variances, double TotalVariance)
{
    /// <summary>The share of all the spread each component accounts for (0…1).</summary>
    public double[] ExplainedRatio => Variances.Select(v => TotalVariance == 0 ? 0 : v / TotalVariance).ToArray();

    public static PrincipalComponents Of(IReadOnlyList<double[]> rows, int count = 2)
    {
        if (rows.Count < 2) throw new WalkthroughException($"A principal component analysis needs at least 2 rows; got {rows.Count}.");
        var (n, d) = (rows.Count, rows[0].Length);
        var mean = Enumerable.Range(0, d).Select(j => rows.Average(r => r[j])).ToArray();
        var x = rows.Select(r => r.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        var byRows = n <= d;
        var size = byRows ? n : d;
        var product = new double[size, size];
        for (var a = 0; a < size; a++)
            for (var b = a; b < size; b++)
                product[a, b] = product[b, a] = byRows ? Dot(x[a], x[b]) : Enumerable.Range(0, n).Sum(i => x[i][a] * x[i][b]);
        var (values, vectors) = Jacobi(product);
        var order = Enumerable.Range(0, size).OrderByDescending(i => values[i]).Take(count).ToArray();
        var components = order.Select(k =>
        {
            var lambda = Math.Max(values[k], 0);
            var v = byRows
                ? Enumerable.Range(0, d).Select(j => lambda < 1e-12 ? 0 : Enumerable.Range(0, n).Sum(i => x[i][j] * vectors[i, k]) / Math.Sqrt(lambda)).ToArray()
                : Enumerable.Range(0, d).Select(j => vectors[j, k]).ToArray();
            var largest = v.MaxBy(Math.Abs);
            return largest < 0 ? v.Select(e => -e).ToArray() : v;
        }).ToArray();
        var scores = x.Select(r => components.Select(c => Dot(r, c)).ToArray()).ToArray();
        var variances = order.Select(k => Math.Max(values[k], 0) / (n - 1)).ToArray();
        var total = x.Sum(r => Dot(r, r)) / (n - 1);
        return new PrincipalComponents(components, scores, variances, total);
    }

    // Cyclic Jacobi: rotate pairs (p, q) until the off-diagonal vanishes; the diagonal is then the eigenvalues and
    // the accumulated rotations the eigenvectors (columns).
    private static (double[] Values, double[,] Vectors) Jacobi(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++) v[i, i] = 1;
        var scale = Enumerable.Range(0, n).Sum(i => Math.Abs(a[i, i])) + 1e-300;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < n; p++) for (var q = p + 1; q < n; q++) off += Math.Abs(a[p, q]);
            if (off <= 1e-15 * scale) break;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) <= 1e-300) continue;
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++) (a[k, p], a[k, q]) = (c * a[k, p] - s * a[k, q], s * a[k, p] + c * a[k, q]);
                    for (var k = 0; k < n; k++) (a[p, k], a[q, k]) = (c * a[p, k] - s * a[q, k], s * a[p, k] + c * a[q, k]);
                    for (var k = 0; k < n; k++) (v[k, p], v[k, q]) = (c * v[k, p] - s * v[k, q], s * v[k, p] + c * v[k, q]);
                }
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
