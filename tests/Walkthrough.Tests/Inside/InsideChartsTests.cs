using System.Globalization;
using System.Xml.Linq;
using Walkthrough.Display;
using Walkthrough.Inference;
using Walkthrough.Inside;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Inside;

/// <summary>
/// The pictures of lesson 05 against references computed here: attention recomputed by hand from the weights
/// (<see cref="ReferenceForward"/>), the mask from the causal rule and the window's width, the lens from a softmax of
/// the plain logits, embedding rows read straight from the weight matrix.
/// </summary>
public sealed class InsideChartsTests
{
    private const string Prompt = "Monday, Tuesday, Wednesday,"; // 7 tokens, longer than the window of 4
    private const int Window = 4;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void An_attention_chart_shows_the_hand_computed_probabilities_and_masks_exactly_the_future_and_the_window()
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config("mistral"));
        var ids = model.Tokenizer.Encode(Prompt).ToArray();
        var expected = new ReferenceForward(model.Config, model.Module).Run(ids).Attention;
        using var trace = model.Trace(Prompt);

        for (var head = 0; head < model.Config.Heads; head++)
        {
            var heat = Heat(trace.Attention(1, head).Chart());
            for (var q = 0; q < ids.Length; q++)
                for (var k = 0; k < ids.Length; k++)
                {
                    var hidden = k > q || q - k >= Window;
                    Assert.Equal(hidden, heat.IsMasked(q, k));
                    Close(expected[1][head][q][k], heat.Values[q][k]);
                }
        }
    }

    [Fact]
    public void Masked_cells_are_drawn_grey_off_the_scale_and_say_why_and_the_others_take_the_scale_s_colour()
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config("mistral"));
        using var trace = model.Trace(Prompt);
        var map = trace.Attention(0, 2);

        var cells = Cells(map.Chart().ToSvg());

        Assert.Equal(49, cells.Count);
        foreach (var (title, fill) in cells)
        {
            var (q, k) = Positions(title);
            if (k > q) Assert.EndsWith("it comes later", title);
            else if (q - k >= Window) Assert.EndsWith("outside the sliding window", title);
            else Assert.EndsWith($": {map.Weights[q][k].ToString("0.000", CultureInfo.InvariantCulture)}", title);
            Assert.Equal(k > q || q - k >= Window ? "#f3f4f6" : ColourScale.Blues.At(map.Weights[q][k]), fill);
        }
    }

    [Fact]
    public void A_cut_of_a_long_map_keeps_the_positions_it_names()
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config("mistral"));
        using var trace = model.Trace(Prompt);
        var map = trace.Attention(0, 1);

        var figure = map.Chart(queries: 4..7, keys: ..3);

        var heat = Heat(figure);
        Assert.Equal(["4: ,", "5: ▁Wednesday", "6: ,"], heat.Rows);
        Assert.Equal(["0: <s>", "1: ▁Monday", "2: ,"], heat.Columns);
        Assert.Equal(map.Weights[5][2], heat.Values[1][2], 6);
        Assert.True(heat.IsMasked(2, 0) && heat.IsMasked(2, 2) && !heat.IsMasked(0, 1)); // 6 − 2 = 4: out of the window; 4 − 1 = 3: in
        Assert.Contains("(queries 4–6, keys 0–2)", figure.Title);
        var error = Assert.Throws<WalkthroughException>(() => map.Chart(queries: 5..9));
        Assert.Contains("queries 5..9: there are 7 positions, numbered 0 to 6", error.Message);
    }

    [Fact]
    public void A_layer_s_heads_are_drawn_side_by_side_each_panel_its_own_head()
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config("mistral"));
        using var trace = model.Trace(Prompt);
        var layer = trace.Attention(1);

        var figure = layer.Chart();

        var panels = Assert.IsType<PanelsLayer>(Assert.Single(figure.Layers)).Panels;
        Assert.Equal(model.Config.Heads, panels.Count);
        for (var h = 0; h < panels.Count; h++)
        {
            Assert.StartsWith($"head {h} (key/value head {h / 2})", panels[h].Title);
            Assert.Equal(layer.Heads[h].Weights.Select(r => r.Select(p => (double)p)), Heat(panels[h]).Values);
        }
        var svg = XDocument.Parse(figure.ToSvg());
        Assert.Single(svg.Descendants(Svg + "svg"));                                          // one picture, the panels inside it
        Assert.Equal(model.Config.Heads * (7 * 8 / 2 - 3 * 4 / 2), Cells(figure.ToSvg()).Count); // allowed cells are marks, masked ones are not
    }

    [Fact]
    public void The_last_token_chart_frames_for_each_head_the_key_it_takes_most_from()
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config("mistral"));
        var ids = model.Tokenizer.Encode(Prompt).ToArray();
        var expected = new ReferenceForward(model.Config, model.Module).Run(ids).Attention[0];
        using var trace = model.Trace(Prompt);

        var heat = Heat(trace.Attention(0).LastTokenChart());

        for (var h = 0; h < model.Config.Heads; h++)
        {
            var row = expected[h][^1];
            var strongest = Array.IndexOf(row, row.Max());
            Assert.Equal(Enumerable.Range(0, ids.Length).Select(k => k == strongest), heat.Outlined![h]);
            Assert.Equal(Enumerable.Range(0, ids.Length).Select(k => ids.Length - 1 - k >= Window), heat.Masked![h]);
            for (var k = 0; k < ids.Length; k++) Close(row[k], heat.Values[h][k]);
        }
        Assert.Equal("looked at most", heat.OutlineLabel);
    }

    [Fact]
    public void The_lens_chart_holds_each_layer_s_softmax_top_token_and_frames_the_prompt_s_real_next_token()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var ids = model.Tokenizer.Encode(Prompt);
        using var trace = model.Trace(Prompt);

        var figure = trace.Lens().Chart();

        var heat = Heat(figure);
        for (var layer = 0; layer <= trace.Layers; layer++)
            for (var t = 0; t < ids.Count; t++)
            {
                var p = Sampling.Softmax(trace.Logits(layer, t));
                var best = Array.IndexOf(p, p.Max());
                Close(p[best], heat.Values[layer][t]);
                Assert.Equal(model.Tokenizer.Describe(best).Text, heat.CellText![layer][t]);
                Assert.Equal(t + 1 < ids.Count && best == ids[t + 1], heat.Outlined![layer][t]);
            }
        var last = Sampling.Softmax(model.NextLogits(ids, null));
        Close(last.Max(), heat.Values[^1][^1]); // the last row is the model's own prediction
        Assert.Equal(["embeddings", "layer 1", "layer 2"], heat.Rows);
        Assert.StartsWith(trace.Lens().ToString(), figure.ToString()); // the terminal reads the lens's own grid, probabilities written out
    }

    [Fact]
    public void The_embedding_rows_chart_is_the_weight_matrix_itself_on_a_scale_symmetric_about_zero()
    {
        using var model = TinyLanguageModels.RandomMistral();
        int[] ids = [1, 9262, 28725];
        var matrix = model.Module.TokenEmbeddings.data<float>().ToArray();
        var d = model.Config.HiddenSize;

        var heat = Heat(model.Embeddings.Rows(ids, columns: 6).Chart());

        for (var r = 0; r < ids.Length; r++)
            Assert.Equal(matrix[(ids[r] * d)..(ids[r] * d + 6)].Select(v => (double)v), heat.Values[r]);
        var largest = ids.SelectMany(id => matrix[(id * d)..(id * d + 6)]).Max(v => Math.Abs((double)v));
        Assert.Equal((-largest, largest), (heat.Min!.Value, heat.Max!.Value));
        Assert.Equal(ColourScale.RedBlue, heat.Scale);
        Assert.Equal(["1: <s>", "9262: ▁Monday", "28725: ,"], heat.Rows);
        Assert.DoesNotContain(heat.CellText!.SelectMany(r => r), t => t == "-0.00");
    }

    [Fact]
    public void The_nearest_chart_draws_the_cosines_computed_from_the_rows()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var matrix = model.Module.TokenEmbeddings.data<float>().ToArray();
        var d = model.Config.HiddenSize;
        var id = model.Tokenizer.IdOfText(" Monday")!.Value;
        var nearest = model.Embeddings.Nearest(" Monday", 3);

        var bars = Assert.IsType<BarLayer>(Assert.Single(nearest.Chart().Layers));

        Assert.Equal(nearest.Nearest.Select(n => $"'{n.Text}'"), bars.Categories);
        for (var i = 0; i < 3; i++)
            Assert.Equal(Cosine(matrix[(id * d)..((id + 1) * d)], matrix[(nearest.Nearest[i].Id * d)..((nearest.Nearest[i].Id + 1) * d)]), bars.Series[0].Data[i].Value, 5);
    }

    [Fact]
    public void A_map_of_groups_colours_each_group_and_its_axes_are_uncorrelated_principal_components()
    {
        using var model = TinyLanguageModels.RandomMistral();

        var pca = model.Embeddings.Pca(("days", [" Monday", " Tuesday", " Friday"]), ("months", [" March", " April"]));
        var scatter = Assert.IsType<ScatterLayer>(Assert.Single(pca.Chart().Layers));

        Assert.Equal(["days", "days", "days", "months", "months"], scatter.Points.Select(p => p.Group));
        Assert.Equal(["▁Monday", "▁Tuesday", "▁Friday", "▁March", "▁April"], scatter.Points.Select(p => p.Label));
        var (x, y) = (scatter.Points.Select(p => p.X).ToList(), scatter.Points.Select(p => p.Y).ToList());
        Assert.Equal(0, x.Average(), 6);                                   // centred
        Assert.Equal(0, x.Zip(y, (a, b) => a * b).Sum(), 6);               // orthogonal components
        Assert.True(x.Sum(v => v * v) >= y.Sum(v => v * v));               // the first keeps the most spread
        Assert.Contains("\"Monday and more\" is not one token", Assert.Throws<WalkthroughException>(() => model.Embeddings.Pca(("days", ["Monday and more", " Tuesday", " Friday"]))).Message);
    }

    [Fact]
    public void A_prompt_too_long_to_draw_is_refused_with_the_cut_to_ask_for_and_the_cut_draws_what_it_names()
    {
        using var model = TinyLanguageModels.RandomMistral(contextLength: 128);
        using var trace = model.Trace(string.Concat(Enumerable.Repeat("Monday, ", 35)));
        var count = trace.Tokens.Count;
        Assert.InRange(count, 65, 128);

        Assert.Contains("cut out a part, e.g. map.Chart(queries: ^16.., keys: ^16..)", Assert.Throws<WalkthroughException>(() => trace.Attention(0, 0).Chart()).Message);
        Assert.Contains($"at most 32 tokens; this one has {count}:", Assert.Throws<WalkthroughException>(() => trace.Attention(0).Chart()).Message);
        Assert.Contains("LastTokenChart(keys: ^32..)", Assert.Throws<WalkthroughException>(() => trace.Attention(0).LastTokenChart()).Message);
        Assert.Contains("lens.Chart(positions: ^16..)", Assert.Throws<WalkthroughException>(() => trace.Lens().Chart()).Message);
        Assert.Contains("Rows(0, 16, columns: 12)", Assert.Throws<WalkthroughException>(() => model.Embeddings.Rows(0, 100).Chart()).Message);

        var lens = trace.Lens();
        var cut = Heat(lens.Chart(positions: ^3..));
        Assert.Equal(lens.Tokens.Skip(count - 3).Select(t => $"{t.Index}: {t.Text}"), cut.Columns);
        Assert.Equal(lens.Layers.Select(l => (double)l.Positions[^1].Best.Probability), cut.Values.Select(r => r[^1]));
        var last = Heat(trace.Attention(0).LastTokenChart(keys: ^5..));
        Assert.Equal(5, last.Columns.Count);
        Assert.Equal(trace.Attention(0, 1).Weights[^1][^5..].Select(p => (double)p), last.Values[1]);
    }

    private static void Close(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) < tolerance, $"{actual} vs {expected}");

    private static HeatmapLayer Heat(Figure figure) => Assert.IsType<HeatmapLayer>(Assert.Single(figure.Layers));

    // Every mark of an SVG: its tooltip and its fill.
    private static List<(string Title, string Fill)> Cells(string svg) =>
        XDocument.Parse(svg).Descendants(Svg + "rect").Where(r => r.Attribute("class")?.Value == "wt-m")
            .Select(r => (r.Element(Svg + "title")!.Value, r.Attribute("fill")!.Value)).ToList();

    // "▁Wednesday (5) looks at , (2): 0.450" → (5, 2)
    private static (int Query, int Key) Positions(string title)
    {
        var m = System.Text.RegularExpressions.Regex.Match(title, @"\((\d+)\) (?:looks at|cannot see) .*? \((\d+)\):");
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(y => (double)y * y));
}
