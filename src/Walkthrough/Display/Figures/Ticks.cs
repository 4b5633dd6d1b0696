using System.Globalization;

namespace Walkthrough.Display;

/// <summary>
/// A value axis's range and tick marks: round steps (1, 2, 2.5, 5 × 10ⁿ) on a linear axis, whole decades on a log one.
/// <see cref="Position"/> maps a value to 0 (the bottom) .. 1 (the top).
/// </summary>
internal sealed record Ticks(double Min, double Max, IReadOnlyList<double> Values, AxisScale Scale, double Step)
{
    public static Ticks For(Axis axis, IEnumerable<double> data)
    {
        var values = data.Where(double.IsFinite).ToList();
        return axis.Scale == AxisScale.Log ? Log(axis, values) : Linear(axis, values);
    }

    public double Position(double value)
    {
        if (Scale == AxisScale.Log)
        {
            var v = Math.Log10(Math.Max(value, Min));
            return (v - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min));
        }
        return (value - Min) / (Max - Min);
    }

    public string Label(double value)
    {
        if (Scale == AxisScale.Log)
        {
            var exponent = (int)Math.Round(Math.Log10(value));
            return exponent is < -3 or > 5 ? $"1e{exponent}" : value.ToString("0.###", CultureInfo.InvariantCulture);
        }
        var decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(Step) + 1e-9));
        if (Math.Abs(Step / Math.Pow(10, -decimals) - 2.5) < 1e-6) decimals++;
        return value.ToString(Math.Abs(value) >= 10_000 ? "#,0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    private static Ticks Linear(Axis axis, List<double> values)
    {
        var min = axis.Min ?? Math.Min(0, values.DefaultIfEmpty(0).Min());
        var max = axis.Max ?? values.DefaultIfEmpty(1).Max();
        if (max <= min) max = min + (min == 0 ? 1 : Math.Abs(min));
        var step = NiceStep((max - min) / 5);
        var low = axis.Min ?? Math.Floor(min / step + 1e-9) * step;
        var high = axis.Max ?? Math.Ceiling(max / step - 1e-9) * step;
        var ticks = new List<double>();
        for (var v = Math.Ceiling(low / step - 1e-9) * step; v <= high + step * 1e-6; v += step) ticks.Add(Math.Round(v / step) * step + 0.0); // + 0.0: no "-0" label
        return new Ticks(low, high, ticks, AxisScale.Linear, step);
    }

    private static Ticks Log(Axis axis, List<double> values)
    {
        var positive = values.Where(v => v > 0).ToList();
        var min = axis.Min ?? Math.Pow(10, Math.Floor(Math.Log10(positive.DefaultIfEmpty(0.1).Min())));
        var max = axis.Max ?? Math.Pow(10, Math.Ceiling(Math.Log10(positive.DefaultIfEmpty(1).Max())));
        if (max <= min) max = min * 10;
        var (first, last) = ((int)Math.Ceiling(Math.Log10(min) - 1e-9), (int)Math.Floor(Math.Log10(max) + 1e-9));
        var every = Math.Max(1, (last - first + 7) / 8); // at most about eight decades labelled
        var ticks = Enumerable.Range(0, (last - first) / every + 1).Select(i => Math.Pow(10, first + i * every)).ToList();
        return new Ticks(min, max, ticks, AxisScale.Log, every);
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return magnitude * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10);
    }
}
