using System.Text.Json;
using Walkthrough.Tests.Cli;

namespace Walkthrough.Tests.Inside;

/// <summary><c>walkthrough lens | attention | embeddings</c> on the bundled model, and their JSON for tools.</summary>
public sealed class InsideCommandsTests
{
    private const string Days = "Monday, Tuesday, Wednesday,";

    [Fact]
    public void Lens_json_has_the_embeddings_then_every_layer_and_ends_in_the_model_s_prediction()
    {
        var (code, output, _) = CliRunner.Run("lens", Days, "--top", "3", "--json");
        var (_, next, _) = CliRunner.Run("next", Days, "--top", "1", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("piece").GetString()).ToList();
        Assert.Equal(["<s>", "▁Monday", ",", "▁Tuesday", ",", "▁Wednesday", ","], tokens);
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 7), layers.Select(l => l.GetProperty("layer").GetInt32())); // walkthrough-tiny: 6 layers
        Assert.All(layers, l => Assert.Equal(tokens.Count, l.GetProperty("positions").GetArrayLength()));
        var last = layers[^1].GetProperty("positions")[tokens.Count - 1].GetProperty("top");
        Assert.Equal(3, last.GetArrayLength());
        using var step = JsonDocument.Parse(next);
        var chosen = step.RootElement.GetProperty("steps")[0].GetProperty("chosen");
        Assert.Equal("▁Thursday", last[0].GetProperty("piece").GetString());
        Assert.Equal(chosen.GetProperty("id").GetInt32(), last[0].GetProperty("id").GetInt32());
        Assert.Equal(chosen.GetProperty("probability").GetDouble(), last[0].GetProperty("probability").GetDouble(), 5);
    }

    [Fact]
    public void Lens_reads_as_a_table_in_80_columns()
    {
        var (code, output, _) = CliRunner.Run("lens", Days);

        Assert.Equal(0, code);
        Assert.All(output.TrimEnd().Split('\n'), line => Assert.True(line.Length <= 80, line));
        Assert.Contains("embeddings", output);
        Assert.Contains("▁Thursday 1.00", output);
    }

    [Fact]
    public void Attention_json_gives_a_query_by_key_matrix_per_head_whose_rows_sum_to_one()
    {
        var (code, output, _) = CliRunner.Run("attention", Days, "--layer", "1", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("layer").GetInt32());
        var t = json.RootElement.GetProperty("tokens").GetArrayLength();
        var heads = json.RootElement.GetProperty("heads").EnumerateArray().ToList();
        Assert.Equal(6, heads.Count);
        foreach (var head in heads)
        {
            var rows = head.EnumerateArray().Select(r => r.EnumerateArray().Select(p => p.GetDouble()).ToArray()).ToList();
            Assert.Equal(t, rows.Count);
            for (var q = 0; q < t; q++)
            {
                Assert.InRange(rows[q].Sum(), 1 - 1e-3, 1 + 1e-3); // each weight printed to 4 significant digits
                Assert.All(rows[q].Skip(q + 1), p => Assert.Equal(0, p));
            }
        }
    }

    [Fact]
    public void Attention_of_one_head_shows_that_head()
    {
        var (code, output, _) = CliRunner.Run("attention", Days, "--layer", "0", "--head", "4");

        Assert.Equal(0, code);
        Assert.StartsWith("layer 0, head 4 (reads key/value head 1)", output);
        Assert.All(output.TrimEnd().Split('\n'), line => Assert.True(line.Length <= 80, line));
    }

    [Fact]
    public void Embeddings_json_gives_the_norm_and_the_nearest_tokens_with_the_other_weekdays_among_them()
    {
        var (code, output, _) = CliRunner.Run("embeddings", " Monday", "--nearest", "10", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("▁Monday", json.RootElement.GetProperty("token").GetProperty("piece").GetString());
        Assert.True(json.RootElement.GetProperty("norm").GetDouble() > 0);
        var nearest = json.RootElement.GetProperty("nearest").EnumerateArray().ToList();
        Assert.Equal(10, nearest.Count);
        var cosines = nearest.Select(n => n.GetProperty("cosine").GetDouble()).ToList();
        Assert.Equal(cosines.OrderDescending(), cosines);
        string[] weekdays = ["▁Tuesday", "▁Wednesday", "▁Thursday", "▁Friday", "▁Saturday", "▁Sunday"];
        Assert.True(nearest.Count(n => weekdays.Contains(n.GetProperty("piece").GetString())) >= 5, output);
    }

    [Fact]
    public void The_walk_ends_with_the_first_answer_token_through_the_layers()
    {
        var (code, output, _) = CliRunner.Run("walk", "--steps", "1");

        Assert.Equal(0, code);
        var section = output[output.IndexOf("6 · Inside the model", StringComparison.Ordinal)..];
        Assert.Contains("embeddings", section);
        Assert.Contains("layer 6", section);
    }

    [Theory]
    [InlineData("attention", Days, "--layer", "6")]
    [InlineData("attention", Days, "--layer", "0", "--head", "-1")]
    [InlineData("lens", "")]
    [InlineData("lens", Days, "--top", "0")]
    [InlineData("embeddings", "Monday, Tuesday")]
    [InlineData("embeddings", "Monday")]
    [InlineData("embeddings", " Monday", "--nearest", "0")]
    public void Bad_values_end_in_one_line_and_exit_code_2(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("loaded ")).ToList();
        Assert.Single(lines);
        Assert.StartsWith("walkthrough: ", lines[0]);
    }
}
