using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Walkthrough.Display;
using Walkthrough.Inference;

namespace Walkthrough.Tests.Display;

public sealed partial class FigureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Bars_are_marks_whose_heights_follow_the_values()
    {
        var svg = Parse(Figure.Bars("three", ["a", "b", "c"], [1, 2, 4]).ToSvg());

        var heights = Marks(svg, "rect").Select(r => double.Parse(r.Attribute("height")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, heights.Count);
        Assert.Equal(2.0, heights[1] / heights[0], 1);
        Assert.Equal(4.0, heights[2] / heights[0], 1);
        Assert.Equal(["a: 1", "b: 2", "c: 4"], Marks(svg, "rect").Select(r => r.Element(Svg + "title")!.Value));
    }

    [Fact]
    public void A_log_axis_puts_each_decade_the_same_distance_apart()
    {
        var ticks = Ticks.For(new Axis { Scale = AxisScale.Log, Max = 1 }, [0.998, 2.6e-5]);

        Assert.Equal((1e-5, 1.0), (ticks.Min, ticks.Max));
        Assert.Equal([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], ticks.Values);
        Assert.Equal(0.4, ticks.Position(0.001), 9); // 2 of the 5 decades above 1e-5
        Assert.Equal(["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"], ticks.Values.Select(ticks.Label));
    }

    [Fact]
    public void A_linear_axis_ends_on_a_round_tick_and_never_writes_minus_zero()
    {
        var ticks = Ticks.For(new Axis(), [29.64, 3.2]);

        Assert.Equal([0, 10, 20, 30], ticks.Values);
        Assert.Equal(["0", "10", "20", "30"], ticks.Values.Select(ticks.Label));
        Assert.Equal(["-1", "-0.5", "0", "0.5", "1"], Ticks.For(new Axis(), [-1, 1]).Values.Select(v => Ticks.For(new Axis(), [-1, 1]).Label(v)));
    }

    [Fact]
    public void A_highlighted_bar_is_outlined_a_muted_one_grey_and_labels_are_drawn()
    {
        var figure = Figure.Bars("emphasis", ["chosen", "cut", "plain"],
        [
            new Datum(0.6) { Emphasis = Emphasis.Highlight, Text = "0.600" },
            new Datum(0.3) { Emphasis = Emphasis.Muted },
            new Datum(0.1) { Colour = "#123456" },
        ]);

        var marks = Marks(Parse(figure.ToSvg()), "rect");
        Assert.Equal("#111827", marks[0].Attribute("stroke")?.Value);
        Assert.Equal(Figure.MutedColour, marks[1].Attribute("fill")!.Value);
        Assert.Equal("#123456", marks[2].Attribute("fill")!.Value);
        Assert.Contains(Parse(figure.ToSvg()).Descendants(Svg + "text"), t => t.Value == "0.600");
    }

    [Fact]
    public void Grouped_bars_draw_one_bar_per_series_and_category_with_a_legend()
    {
        var figure = Figure.GroupedBars("groups", ["x", "y"], [Series.Of("T = 0.5", [0.9, 0.1]), Series.Of("T = 1", [0.7, 0.3]), Series.Of("T = 2", [0.6, 0.4])]);

        var svg = Parse(figure.ToSvg());
        var marks = Marks(svg, "rect");
        Assert.Equal(6, marks.Count);
        Assert.Equal(3, marks.Select(m => m.Attribute("fill")!.Value).Distinct().Count());
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "T = 2");
    }

    [Fact]
    public void A_legend_entry_has_its_series_colour_even_after_an_unnamed_series()
    {
        var svg = Parse(Figure.GroupedBars("g", ["x"], [Series.Of("", [1]), Series.Of("named", [2])]).ToSvg());

        var swatch = Assert.Single(svg.Descendants(Svg + "rect"), r => r.Attribute("width")?.Value == "11");
        Assert.Equal(Figure.Palette[1], swatch.Attribute("fill")!.Value);
        Assert.Equal(Figure.Palette[1], Marks(svg, "rect")[1].Attribute("fill")!.Value);
    }

    [Fact]
    public void A_heatmap_draws_high_values_dark_masked_cells_apart_and_cell_texts()
    {
        var heat = new HeatmapLayer(["q0", "q1"], ["k0", "k1"], [[0.2, 0], [1, 0.5]])
        {
            Masked = [[false, true], [false, false]],
            CellText = [["a", null], ["b", "c"]],
        };

        var svg = Parse(Figure.Heatmap("attention", heat, "key", "query").ToSvg());

        var cells = Marks(svg, "rect").ToDictionary(r => r.Element(Svg + "title")!.Value, r => r.Attribute("fill")!.Value);
        Assert.Equal(4, cells.Count);
        Assert.Equal(ColourScale.Blues.At(1), cells["q1 × k0: 1"]);      // the largest value: the darkest colour
        Assert.Equal("#08306b", ColourScale.Blues.At(1));
        Assert.Equal("#f7fbff", cells["q0 × k0: 0.2"]);                  // the smallest unmasked value: the lightest
        Assert.Equal("#f3f4f6", cells["q0 × k1: masked"]);               // not on the scale at all
        Assert.True(ColourScale.Blues.IsDark(1) && !ColourScale.Blues.IsDark(0));
        var texts = svg.Descendants(Svg + "text").Select(t => (t.Value, Fill: t.Attribute("fill")?.Value)).ToList();
        Assert.Contains(("b", "#ffffff"), texts);                          // white on the dark cell
        Assert.Contains(("a", "#111827"), texts);
        Assert.Contains(texts, t => t.Value == "masked");                   // the legend says what grey means
    }

    [Fact]
    public void A_heatmap_of_the_wrong_shape_is_refused_with_its_sizes()
    {
        var error = Assert.Throws<WalkthroughException>(() => Figure.Heatmap("bad", new HeatmapLayer(["a", "b"], ["x"], [[1]])));

        Assert.Equal("A heatmap has 2 row labels but 1 rows of values.", error.Message);
    }

    [Fact]
    public void A_scatter_draws_a_labelled_point_per_value_coloured_by_group()
    {
        var figure = Figure.Scatter("embeddings", [new ScatterPoint(0, 0, "Paris") { Group = "city" }, new ScatterPoint(1, 2, "France") { Group = "country" }, new ScatterPoint(-1, 1, "Rome") { Group = "city" }], "PC 1", "PC 2");

        var svg = Parse(figure.ToSvg());
        var points = Marks(svg, "circle");
        Assert.Equal(3, points.Count);
        Assert.Equal(points[0].Attribute("fill")!.Value, points[2].Attribute("fill")!.Value);
        Assert.NotEqual(points[0].Attribute("fill")!.Value, points[1].Attribute("fill")!.Value);
        Assert.Equal("France (country): (1, 2)", points[1].Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Rome");
        // y grows upwards: France (y = 2) is drawn above Paris (y = 0)
        Assert.True(double.Parse(points[1].Attribute("cy")!.Value, CultureInfo.InvariantCulture) < double.Parse(points[0].Attribute("cy")!.Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Lines_on_a_second_axis_use_its_scale()
    {
        var figure = Figure.Lines("two axes", ["0", "1"], [Series.Of("p", [0, 1]), Series.Of("bits", [0, 8]) with { RightAxis = true }], "step", "p", "bits")
            with { Y = new Axis("p") { Min = 0, Max = 1 } };

        var points = Marks(Parse(figure.ToSvg()), "circle").Select(c => double.Parse(c.Attribute("cy")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(points[1], points[3], 1); // p = 1 on the left axis and 8 bits on the right reach the same height
        Assert.Equal(points[0], points[2], 1);
    }

    [Fact]
    public void Token_text_is_escaped_and_control_characters_made_visible()
    {
        var svg = Figure.Bars("<s> & co", ["<s>", "\n", "a\u0001"], [1, 2, 3]).ToSvg();

        var parsed = Parse(svg); // well-formed XML
        Assert.Equal("<s> & co", parsed.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(parsed.Descendants(Svg + "text"), t => t.Value == "↵");
        Assert.Contains(parsed.Descendants(Svg + "text"), t => t.Value == "a\uFFFD");
    }

    [Fact]
    public void The_same_figure_gives_the_same_bytes_and_carries_no_script()
    {
        Figure Make() => Figure.Bars("same", ["a", "b"], [1, 2]);

        Assert.Equal(Make().ToSvg(), Make().ToSvg());
        Assert.DoesNotContain("<script", Make().ToHtml());
        Assert.StartsWith("<div class=\"wt-figure\"", Make().ToHtml());
    }

    [Fact]
    public void The_text_rendering_draws_bars_to_the_figures_scale_and_marks_emphasis()
    {
        var text = Figure.Bars("three", ["a", "b", "c"], [1, 2, new Datum(4) { Emphasis = Emphasis.Highlight }]).ToString();

        var lines = text.Split('\n');
        Assert.Equal("three", lines[0]);
        Assert.Equal([8, 16, 32], lines[1..4].Select(l => l.Count(c => c == '█'))); // axis 0..4, 32 characters wide
        Assert.EndsWith("4  ◀", lines[3]);
        Assert.Equal("(drawn as a chart in the notebook and in the lesson's HTML page)", lines[^1]);
    }

    [Fact]
    public void The_text_rendering_of_a_heatmap_shades_cells_and_dots_masked_ones()
    {
        var text = Figure.Heatmap("h", new HeatmapLayer(["r"], ["x", "y", "z"], [[0, 0.5, 1]]) { Masked = [[false, false, true]] }).ToString();

        // The scale runs over the unmasked values (0 .. 0.5): 0 is blank, 0.5 the darkest shade, the masked 1 dotted.
        Assert.Contains("r" + new string(' ', 21) + "██ ··\n", text);
        Assert.Contains("columns: 0 x, 1 y, 2 z", text);
    }

    [Fact]
    public void Temperatures_chart_the_softmax_of_the_logits_divided_by_each_temperature()
    {
        var step = Step([2f, 1f, 0f]);

        var bars = Assert.IsType<BarLayer>(Assert.Single(StepCharts.Temperatures(step, [2.0, 0.5]).Layers));

        Assert.Equal(["T = 0.5", "T = 2"], bars.Series.Select(s => s.Name)); // coldest first
        var z = Math.Exp(1) + Math.Exp(0.5) + 1; // logits / 2
        Assert.Equal([Math.Exp(1) / z, Math.Exp(0.5) / z, 1 / z], bars.Series[1].Data.Select(d => d.Value), new Tolerance(1e-9));
        Assert.Equal(["'a'", "'b'", "'c'"], bars.Categories);
        Assert.Throws<WalkthroughException>(() => StepCharts.Temperatures(step, [0]));
    }

    [Fact]
    public void The_top_k_chart_is_on_a_log_scale_with_the_chosen_token_highlighted()
    {
        var figure = StepCharts.TopK(Step([2f, 1f, 0f]));

        Assert.Equal(AxisScale.Log, figure.Y.Scale);
        var bars = Assert.IsType<BarLayer>(Assert.Single(figure.Layers)).Series[0].Data;
        Assert.Equal([Emphasis.Highlight, Emphasis.Normal, Emphasis.Normal], bars.Select(b => b.Emphasis));
        Assert.Equal("0.665", bars[0].Text); // e² / (e² + e + 1)
    }

    private static NextTokenStep Step(float[] logits)
    {
        var p = Sampling.Softmax(logits);
        var candidates = Enumerable.Range(0, logits.Length).Select(i => new Candidate(i + 1, i, ((char)('a' + i)).ToString(), logits[i], p[i], p.Take(i + 1).Sum())).ToList();
        return new NextTokenStep
        {
            Step = 0, Position = 3, Candidates = candidates, Chosen = candidates[0], Rule = "greedy", Sampling = SamplingOptions.Greedy, Entropy = Sampling.Entropy(p),
            Logits = logits, Probabilities = p, UsedCache = true, TokensComputed = 1,
        };
    }

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static List<XElement> Marks(XDocument svg, string element) =>
        svg.Descendants(Svg + element).Where(e => e.Attribute("class")?.Value == "wt-m").ToList();

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
