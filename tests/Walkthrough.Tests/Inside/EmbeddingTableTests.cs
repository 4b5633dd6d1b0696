using Walkthrough.Inference;
using Walkthrough.Inside;
using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Inside;

/// <summary>The embedding views against the matrix itself, read out as plain numbers and computed on here.</summary>
public sealed class EmbeddingTableTests
{
    [Fact]
    public void A_token_s_vector_is_its_row_and_its_length_the_row_s_norm()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var id = model.Tokenizer.IdOfText(" Monday")!.Value;
        var row = Row(model, id);

        var vector = model.Embeddings.Of(" Monday");

        Assert.Equal(id, vector.Id);
        Assert.Equal("▁Monday", vector.Text);
        Assert.Equal(row, vector.Values);
        Assert.Equal(Math.Sqrt(row.Sum(v => (double)v * v)), vector.Norm, 5);
        Assert.Equal(vector.Id, model.Embeddings.Of("▁Monday").Id);
        Assert.Contains("the first 8: [", vector.ToString());
    }

    [Fact]
    public void Nearest_tokens_are_the_largest_cosines_over_the_whole_matrix()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var id = model.Tokenizer.IdOfText(" Monday")!.Value;
        var matrix = model.Module.TokenEmbeddings.data<float>().ToArray();
        var d = model.Config.HiddenSize;
        var target = matrix[(id * d)..((id + 1) * d)];
        var cosines = Enumerable.Range(0, model.Config.VocabularySize)
            .Where(i => i != id)
            .Select(i => (Id: i, Cosine: Cosine(target, matrix[(i * d)..((i + 1) * d)])))
            .OrderByDescending(c => c.Cosine).Take(5).ToList();

        var nearest = model.Embeddings.Nearest(" Monday", 5);

        Assert.Equal(cosines.Select(c => c.Id), nearest.Nearest.Select(n => n.Id));
        for (var i = 0; i < 5; i++) Assert.Equal(cosines[i].Cosine, nearest.Nearest[i].Cosine, 5);
        Assert.Equal(model.Tokenizer.Describe(cosines[0].Id).Text, nearest.Nearest[0].Text);
    }

    [Fact]
    public void A_text_that_is_not_one_token_is_refused_with_its_pieces()
    {
        using var model = TinyLanguageModels.RandomMistral();

        var error = Assert.Throws<WalkthroughException>(() => model.Embeddings.Of("Monday Tuesday"));

        Assert.Contains("\"Monday Tuesday\" is not one token", error.Message);
        Assert.Contains("▁Tuesday", error.Message);
        Assert.Throws<WalkthroughException>(() => model.Embeddings.Of(""));
        Assert.Contains("no token id 32000", Assert.Throws<WalkthroughException>(() => model.Embeddings.Of(32000)).Message);
    }

    [Fact]
    public void Rows_are_the_matrix_one_row_per_id()
    {
        using var model = TinyLanguageModels.RandomMistral();

        var rows = model.Embeddings.Rows(first: 100, count: 3, columns: 5);

        Assert.Equal([100, 101, 102], rows.Ids);
        Assert.Equal(model.Config.HiddenSize, rows.Dimension);
        for (var r = 0; r < 3; r++)
        {
            var row = Row(model, 100 + r);
            Assert.Equal(row[..5], rows.Values[r]);
            Assert.Equal(Math.Sqrt(row.Sum(v => (double)v * v)), rows.Norms[r], 4);
        }
        Assert.Equal(model.Tokenizer.Describe(101).Text, rows.Texts[1]);
    }

    [Fact]
    public void The_pca_map_places_the_chosen_rows_on_their_two_main_directions()
    {
        using var model = TinyLanguageModels.RandomMistral();
        string[] days = [" Monday", " Tuesday", " Wednesday", " Thursday", " Friday"];
        var rows = days.Select(d => Row(model, model.Tokenizer.IdOfText(d)!.Value).Select(v => (double)v).ToArray()).ToList();

        var map = model.Embeddings.Pca(days);
        var pca = PrincipalComponents.Of(rows, 2);

        Assert.Equal(days.Length, map.Points.Count);
        Assert.Equal("▁Thursday", map.Points[3].Text);
        Assert.Equal(0, map.Points.Sum(p => p.X), 6);               // centred: the coordinates average to zero
        for (var i = 0; i < days.Length; i++)
        {
            Assert.Equal(pca.Scores[i][0], map.Points[i].X, 6);
            Assert.Equal(pca.Scores[i][1], map.Points[i].Y, 6);
        }
        Assert.True(map.ExplainedRatio[0] >= map.ExplainedRatio[1]);
        Assert.Contains("at least 3 tokens", Assert.Throws<WalkthroughException>(() => model.Embeddings.Pca(" Monday", " Tuesday")).Message);
    }

    private static float[] Row(Walkthrough.Checkpoints.LanguageModel model, int id) => model.Module.TokenEmbeddings[id].data<float>().ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) (dot, na, nb) = (dot + a[i] * b[i], na + a[i] * a[i], nb + b[i] * b[i]);
        return dot / Math.Sqrt(na * nb);
    }
}
