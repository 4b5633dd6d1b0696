using System.Globalization;
using System.Text;

namespace Walkthrough.Train;

/// <summary>The loss curve as a small SVG: a picture for the model card that needs no plotting library.</summary>
internal static class LossChart
{
    public static string Svg(IReadOnlyList<LossPoint> history)
    {
        const int width = 640, height = 320, left = 56, right = 16, top = 24, bottom = 40;
        var maxLoss = Math.Ceiling(history.Max(p => p.Loss));
        var steps = history[^1].Step;
        string X(double step) => (left + (width - left - right) * step / steps).ToString("0.0", CultureInfo.InvariantCulture);
        string Y(double loss) => (top + (height - top - bottom) * (1 - loss / maxLoss)).ToString("0.0", CultureInfo.InvariantCulture);

        // A moving average over 10 steps reads better than the raw, noisy per-batch loss.
        var smoothed = history.Select((p, i) => (p.Step, Loss: history.Skip(Math.Max(0, i - 9)).Take(Math.Min(10, i + 1)).Average(q => q.Loss)));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        for (var loss = 0.0; loss <= maxLoss; loss += Math.Max(1, Math.Round(maxLoss / 5)))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(loss)}\" y2=\"{Y(loss)}\" stroke=\"#e5e7eb\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{Y(loss)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{loss:0}</text>");
        }
        svg.Append("<polyline fill=\"none\" stroke=\"#93c5fd\" stroke-width=\"1\" points=\"")
            .AppendJoin(' ', history.Select(p => $"{X(p.Step)},{Y(p.Loss)}")).Append("\"/>");
        svg.Append("<polyline fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', smoothed.Select(p => $"{X(p.Step)},{Y(p.Loss)}")).Append("\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(width + left) / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">training step (2,048 tokens each)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{height / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {height / 2})\">cross-entropy loss</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right}\" y=\"{top - 8}\" text-anchor=\"end\">final loss {history.TakeLast(10).Average(p => p.Loss):0.000} after {steps} steps</text>");
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
