using System.Globalization;
using System.Text;

namespace Walkthrough.Display;

/// <summary>The stages every prompt goes through, in order — the picture each lesson starts from.</summary>
public enum Stage
{
    /// <summary>The prompt as you type it.</summary>
    Text,
    /// <summary>The tokenizer's pieces and their ids (lesson 01).</summary>
    Tokens,
    /// <summary>One vector of numbers per token, looked up in the embedding table (lessons 03 and 06).</summary>
    Vectors,
    /// <summary>The transformer layers that mix the vectors; their weights are what must fit in memory (lessons 02, 03, 06).</summary>
    Layers,
    /// <summary>A score for every token of the vocabulary being the next one (lesson 04).</summary>
    Logits,
    /// <summary>One token picked from the scores and appended to the text — then it all runs again (lessons 04, 05).</summary>
    Choice,
}

/// <summary>
/// The whole pipeline — text → tokens → vectors → layers → logits → choice, and back to the text — with the stages a
/// lesson is about marked "you are here". <code>Pipeline.YouAreHere(Stage.Tokens)</code>
/// In a notebook it draws itself (inline SVG, no script); in a terminal it is one line.
/// </summary>
public sealed record Pipeline(IReadOnlyList<Stage> Here)
{
    private const int Box = 118, BoxHeight = 46, Gap = 24, Left = 8, Top = 30;

    private static readonly (Stage Stage, string Name, string Plain, string Lessons)[] Stages =
    [
        (Stage.Text, "text", "your prompt", ""),
        (Stage.Tokens, "tokens", "numbered pieces", "01"),
        (Stage.Vectors, "vectors", "numbers per piece", "03 · 06"),
        (Stage.Layers, "layers", "mix them, many times", "02 · 03 · 06"),
        (Stage.Logits, "logits", "a score per token", "04"),
        (Stage.Choice, "choice", "pick one, append it", "04 · 05"),
    ];

    /// <summary>The pipeline with <paramref name="stages"/> marked: what this lesson is about.</summary>
    public static Pipeline YouAreHere(params Stage[] stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Length == 0) throw new WalkthroughException("Say where the lesson is: Pipeline.YouAreHere(Stage.Tokens), for example.");
        return new Pipeline(stages.Distinct().Order().ToList());
    }

    public string ToHtml()
    {
        var width = Left * 2 + Stages.Length * Box + (Stages.Length - 1) * Gap;
        const int height = Top + BoxHeight + 62;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" "))
           .Append("role=\"img\" aria-label=\"").Append(Html.Encode(ToString())).Append("\" style=\"font-family:system-ui,sans-serif\">")
           .Append("<defs><marker id=\"wt-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
           .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7280\"/></marker></defs>");
        for (var i = 0; i < Stages.Length; i++)
        {
            var (stage, name, plain, lessons) = Stages[i];
            var x = X(i);
            var here = Here.Contains(stage);
            if (here)
                svg.Append(Invariant($"<text x=\"{x + Box / 2}\" y=\"{Top - 10}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#b45309\">▼ you are here</text>"));
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"{Top}\" width=\"{Box}\" height=\"{BoxHeight}\" rx=\"8\" "))
               .Append(here ? "fill=\"#fde68a\" stroke=\"#b45309\" stroke-width=\"2\"/>" : "fill=\"#f3f4f6\" stroke=\"#9ca3af\"/>")
               .Append(Invariant($"<text x=\"{x + Box / 2}\" y=\"{Top + 19}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"#111827\">{name}</text>"))
               .Append(Invariant($"<text x=\"{x + Box / 2}\" y=\"{Top + 36}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#374151\">{Html.Encode(plain)}</text>"));
            if (lessons.Length > 0)
                svg.Append(Invariant($"<text x=\"{x + Box / 2}\" y=\"{Top + BoxHeight + 14}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#6b7280\">lesson {lessons}</text>"));
            if (i + 1 < Stages.Length)
                svg.Append(Invariant($"<line x1=\"{x + Box}\" y1=\"{Top + BoxHeight / 2}\" x2=\"{x + Box + Gap - 2}\" y2=\"{Top + BoxHeight / 2}\" stroke=\"#6b7280\" stroke-width=\"1.5\" marker-end=\"url(#wt-arrow)\"/>"));
        }
        // The loop: the chosen token joins the text and everything runs again, one token at a time.
        var (from, to, bottom) = (X(Stages.Length - 1) + Box / 2, X(0) + Box / 2, Top + BoxHeight + 34);
        svg.Append(Invariant($"<path d=\"M{from},{Top + BoxHeight + 20} L{from},{bottom} L{to},{bottom} L{to},{Top + BoxHeight + 20}\" fill=\"none\" stroke=\"#6b7280\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" marker-end=\"url(#wt-arrow)\"/>"))
           .Append(Invariant($"<text x=\"{(from + to) / 2}\" y=\"{bottom + 14}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#374151\">the chosen token joins the text, and it all runs again — one token at a time</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One line: text → [tokens] → vectors → … with the marked stages in brackets.</summary>
    public override string ToString() =>
        string.Join(" → ", Stages.Select(s => Here.Contains(s.Stage) ? $"[{s.Name}]" : s.Name)) + " ↺   ([ ] = you are here)";

    private static int X(int index) => Left + index * (Box + Gap);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
