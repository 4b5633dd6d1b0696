using Microsoft.DotNet.Interactive.Formatting;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Inside;
using Walkthrough.Tests.Inference;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Inside;

/// <summary>What a notebook cell gets from <c>model.Trace(prompt)</c>: the lens, attention maps, sizes and errors.</summary>
public sealed class TraceTests
{
    private const string Prompt = "Monday, Tuesday, Wednesday,";

    public static TheoryData<string> Architectures => ForwardRecorderTests.Architectures;

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_lens_last_row_is_the_model_s_own_prediction(string architecture)
    {
        using var model = TinyLanguageModels.Random(ForwardRecorderTests.Config(architecture));
        var ids = model.Tokenizer.Encode(Prompt);
        var logits = model.NextLogits(ids, null);

        using var trace = model.Trace(Prompt, new TraceOptions { AttentionLayers = [] });
        var lens = trace.Lens(top: 3);

        var lensLogits = trace.Logits(trace.Layers, ids.Count - 1);
        Assert.True(logits.Zip(lensLogits, (a, b) => Math.Abs(a - b)).Max() < 1e-5);
        Assert.True(logits.Zip(trace.NextLogits, (a, b) => Math.Abs(a - b)).Max() < 1e-5);
        var probabilities = Sampling.Softmax(logits);
        var best = lens.Final.Positions[^1].Top;
        var expected = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(3).ToList();
        Assert.Equal(expected, best.Select(p => p.Id));
        for (var i = 0; i < 3; i++) Assert.Equal(probabilities[expected[i]], best[i].Probability, 5);
    }

    [Fact]
    public void The_lens_has_a_row_for_the_embeddings_and_one_after_each_layer()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace(Prompt);

        var lens = trace.Lens(top: 2);

        Assert.Equal(Enumerable.Range(0, model.Config.Layers + 1), lens.Layers.Select(l => l.Layer));
        Assert.Equal("embeddings", lens.Layers[0].Name);
        Assert.All(lens.Layers, l => Assert.Equal(trace.Tokens.Count, l.Positions.Count));
        Assert.All(lens.Layers.SelectMany(l => l.Positions), p => Assert.True(p.Top[0].Probability >= p.Top[1].Probability));
        Assert.Equal(trace.Tokens.Select(t => t.Text), lens.Tokens.Select(t => t.Text));
        Assert.Equal(lens.Layers.Count, lens.Probabilities().Length);
    }

    [Fact]
    public void A_trace_holds_what_it_says_residuals_and_the_chosen_attention_in_the_model_s_dtype()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var tokens = model.Tokenizer.Encode(Prompt).Count;
        var options = new TraceOptions { AttentionLayers = [1], AttentionHeads = [0, 2] };

        using var trace = model.Trace(Prompt, options);

        var (layers, hidden) = (model.Config.Layers, model.Config.HiddenSize);
        Assert.Equal(((layers + 1L) * tokens * hidden + 1L * 2 * tokens * tokens) * 4, trace.Bytes);
        Assert.Equal([1], trace.AttentionLayers);
        Assert.Equal([0, 2], trace.AttentionHeads);
        Assert.Equal(float32, trace.Residual(0).dtype);
        Assert.Equal(new long[] { tokens, hidden }, trace.Residual(layers).shape);
        Assert.Contains("attention of layer 1 × 2 of 4 heads", trace.ToString());
    }

    [Fact]
    public void A_trace_bigger_than_max_bytes_is_refused_before_it_runs()
    {
        using var model = TinyLanguageModels.RandomMistral();

        var error = Assert.Throws<WalkthroughException>(() => model.Trace(Prompt, new TraceOptions { MaxBytes = 1000 }));

        Assert.Contains("more than MaxBytes", error.Message);
        Assert.Contains("AttentionLayers", error.Message);
    }

    [Fact]
    public void Mistral_7b_at_512_tokens_holds_about_a_gigabyte_of_attention_in_float32_so_the_default_budget_wants_fewer_layers()
    {
        var config = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mistral-7b"));
        const int tokens = 512;

        var everything = TraceOptions.Default.Bytes(config, tokens, elementSize: 4, "Mistral-7B");
        var oneLayer = new TraceOptions { AttentionLayers = [0] }.Bytes(config, tokens, elementSize: 2, "Mistral-7B");

        // 32 layers × 32 heads × 512² probabilities × 4 bytes = 1 GiB, plus 33 × 512 × 4096 residual numbers.
        Assert.Equal(32L * 32 * 512 * 512 * 4 + 33L * 512 * 4096 * 4, everything);
        Assert.True(everything > TraceOptions.Default.MaxBytes);
        Assert.True(oneLayer < TraceOptions.Default.MaxBytes);                // 148 MiB in bfloat16, mostly the residual stream
    }

    [Theory]
    [InlineData(2, null, "There is no layer 2")]
    [InlineData(-1, null, "There is no layer -1")]
    [InlineData(0, 4, "There is no head 4")]
    public void Layers_and_heads_out_of_range_are_named(int layer, int? head, string message)
    {
        using var model = TinyLanguageModels.RandomMistral();

        var error = Assert.Throws<WalkthroughException>(() => model.Trace(Prompt, new TraceOptions
        {
            AttentionLayers = [layer],
            AttentionHeads = head is { } h ? [h] : null,
        }));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Asking_for_attention_that_was_not_recorded_says_how_to_record_it()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace(Prompt, new TraceOptions { AttentionLayers = [0], AttentionHeads = [1] });

        Assert.Contains("AttentionLayers = [1]", Assert.Throws<WalkthroughException>(() => trace.Attention(1)).Message);
        Assert.Contains("AttentionHeads = [0]", Assert.Throws<WalkthroughException>(() => trace.Attention(0, 0)).Message);
        Assert.Contains("There is no layer 5", Assert.Throws<WalkthroughException>(() => trace.Attention(5)).Message);
    }

    [Fact]
    public void An_empty_prompt_is_refused()
    {
        using var model = TinyLanguageModels.RandomMistral();

        Assert.Contains("empty", Assert.Throws<WalkthroughException>(() => model.Trace("")).Message);
    }

    [Fact]
    public void An_attention_map_is_labelled_with_the_tokens_and_masks_the_sliding_window()
    {
        // RandomMistral's window is 8 tokens; this prompt is longer, so early keys drop out of the last rows.
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace("one two three four five six seven eight nine ten");
        var map = trace.Attention(0, 3);

        var t = trace.Tokens.Count;
        Assert.True(t > 8);
        Assert.Equal(trace.Tokens.Select(x => x.Text), map.Queries);
        Assert.Equal(1, map.KeyValueHead);                          // 4 query heads over 2 key/value heads
        Assert.False(map.Allowed[t - 1][t - 9]);
        Assert.True(map.Allowed[t - 1][t - 8]);
        Assert.Equal(0f, map.Weights[t - 1][t - 9]);
        Assert.All(map.Weights, row => Assert.Equal(1, row.Sum(), 5));
        var layer = trace.Attention(0);
        Assert.Equal(4, layer.Heads.Count);
        var focus = layer.LastTokenFocus[3];
        Assert.Equal(map.Weights[t - 1].Max(), focus.Weight);
        Assert.Equal(Array.IndexOf(map.Weights[t - 1], focus.Weight), focus.Position);
        Assert.Equal(trace.Tokens[focus.Position].Text, focus.Text);
    }

    [Fact]
    public void The_trace_s_embeddings_are_the_token_rows_of_the_embedding_matrix()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace(Prompt, new TraceOptions { AttentionLayers = [] });

        var embeddings = trace.Embeddings(columns: 4);
        var table = model.Embeddings.Rows(trace.Tokens.Select(t => t.Id).ToList(), columns: 4);

        Assert.Equal(table.Values, embeddings.Values);
        Assert.Equal(table.Norms, embeddings.Norms);
        Assert.Equal(model.Config.HiddenSize, embeddings.Dimension);
    }

    [Fact]
    public void Views_read_in_80_columns_and_show_themselves_as_html()
    {
        using var model = TinyLanguageModels.RandomMistral();
        using var trace = model.Trace("one two three four five six seven eight nine ten");

        object[] views = [trace.Lens(), trace.Attention(1, 0), trace.Attention(1), trace.Embeddings(), model.Embeddings.Nearest(" Monday", 5)];

        foreach (var view in views)
        {
            Assert.All(view.ToString()!.Split('\n'), line => Assert.True(line.Length <= 80, $"{view.GetType().Name}: {line.Length} columns: {line}"));
            Assert.StartsWith("<table", view.ToDisplayString(HtmlFormatter.MimeType));
        }
        Assert.Contains("▁ten", trace.Lens().ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void A_disposed_trace_says_so()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var trace = model.Trace(Prompt);
        trace.Dispose();

        Assert.Throws<ObjectDisposedException>(() => trace.Lens());
        trace.Dispose();
    }
}
