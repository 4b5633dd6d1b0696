using System.Globalization;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>One token's row of the embedding matrix: the vector the model starts from when it reads that token.</summary>
/// <param name="Values">Every number of the row (hidden size of them), in float32.</param>
/// <param name="Norm">The row's length (L2 norm).</param>
public sealed record TokenVector(int Id, string Text, float[] Values, double Norm)
{
    public const int Shown = 8;

    public override string ToString() =>
        $"{Text} (id {Id}): {Values.Length} numbers, length {Norm.ToString("0.000", CultureInfo.InvariantCulture)}; the first {Math.Min(Shown, Values.Length)}: " +
        $"[{string.Join(", ", Values.Take(Shown).Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}{(Values.Length > Shown ? ", …" : "")}]";

    public string ToHtml() => $"<p style=\"font-family:ui-monospace,Menlo,Consolas,monospace\">{Html.Encode(ToString())}</p>";
}
