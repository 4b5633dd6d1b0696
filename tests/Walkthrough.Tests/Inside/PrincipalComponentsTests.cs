using Walkthrough.Inside;

namespace Walkthrough.Tests.Inside;

/// <summary>The PCA behind the embedding map, against answers worked by hand.</summary>
public sealed class PrincipalComponentsTests
{
    [Fact]
    public void Two_dimensions_match_the_closed_form_eigenvalues_of_the_covariance()
    {
        double[][] rows = [[2, 1], [-1, 0], [0, 2], [-1, -3]];
        // Mean (0, 0); sample covariance [[a, b], [b, c]] = Σ xxᵀ / 3.
        double a = (4 + 1 + 0 + 1) / 3.0, b = (2 + 0 + 0 + 3) / 3.0, c = (1 + 0 + 4 + 9) / 3.0;
        var root = Math.Sqrt((a - c) * (a - c) / 4 + b * b);
        var (big, small) = ((a + c) / 2 + root, (a + c) / 2 - root);
        var length = Math.Sqrt(b * b + (big - a) * (big - a));
        double[] first = [b / length, (big - a) / length];      // (A − λI)v = 0 solved by v = (b, λ − a)

        var pca = PrincipalComponents.Of(rows, 2);

        Assert.Equal(big, pca.Variances[0], 10);
        Assert.Equal(small, pca.Variances[1], 10);
        Assert.Equal(a + c, pca.TotalVariance, 10);
        Assert.Equal(1.0, Math.Abs(first[0] * pca.Components[0][0] + first[1] * pca.Components[0][1]), 10);
        for (var i = 0; i < rows.Length; i++)
            Assert.Equal(Math.Abs(rows[i][0] * first[0] + rows[i][1] * first[1]), Math.Abs(pca.Scores[i][0]), 10);
    }

    [Theory]
    [InlineData(0)]   // 4 rows of 3 numbers: through the 3 × 3 covariance
    [InlineData(5)]   // 4 rows of 8 numbers: through the 4 × 4 matrix of the rows' dot products
    public void Three_dimensions_find_the_directions_worked_by_hand(int extraZeroColumns)
    {
        // Points ±(3, 0, 0) and ±(0, 1, 1): covariance [[6, 0, 0], [0, ⅔, ⅔], [0, ⅔, ⅔]] with eigenvalues 6, 4/3, 0
        // and directions (1, 0, 0), (0, 1, 1)/√2, (0, 1, −1)/√2.
        double[][] rows = [[3, 0, 0], [-3, 0, 0], [0, 1, 1], [0, -1, -1]];
        var padded = rows.Select(r => r.Concat(new double[extraZeroColumns]).ToArray()).ToArray();

        var pca = PrincipalComponents.Of(padded, 2);

        Assert.Equal(6, pca.Variances[0], 10);
        Assert.Equal(4.0 / 3, pca.Variances[1], 10);
        Assert.Equal(6 / (6 + 4.0 / 3), pca.ExplainedRatio[0], 10);
        Assert.Equal(4.0 / 3 / (6 + 4.0 / 3), pca.ExplainedRatio[1], 10);
        Assert.Equal(1, pca.Components[0][0], 10);                // largest entry made positive
        Assert.Equal(1 / Math.Sqrt(2), pca.Components[1][1], 10);
        Assert.Equal(1 / Math.Sqrt(2), pca.Components[1][2], 10);
        Assert.Equal([3, -3, 0, 0], pca.Scores.Select(s => Math.Round(s[0], 10)).ToArray());
        Assert.Equal([0, 0, Math.Sqrt(2), -Math.Sqrt(2)], pca.Scores.Select(s => Math.Round(s[1], 10)).ToArray(), new ToleranceComparer(1e-9));
    }

    [Fact]
    public void One_row_is_refused()
    {
        var error = Assert.Throws<WalkthroughException>(() => PrincipalComponents.Of([[1.0, 2.0]]));
        Assert.Contains("at least 2 rows", error.Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
