using TorchSharp;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Inside;

/// <summary>
/// The model's token embedding matrix (vocabulary × hidden): row i is the vector token i starts as. Reads the
/// model's own weights where they are (device, dtype) and copies out only what a view shows.
/// <code>model.Embeddings.Of(" Monday")              // its vector: first numbers, length
/// model.Embeddings.Nearest(" Monday", 10)       // the tokens pointing the same way
/// model.Embeddings.Pca(" Monday", " Tuesday", " March", " April")
/// model.Embeddings.Rows(0, 16)                  // the matrix itself, one row per id</code>
/// </summary>
public sealed class EmbeddingTable
{
    private readonly LanguageModel _model;

    internal EmbeddingTable(LanguageModel model) => _model = model;

    /// <summary>Rows: one per token id.</summary>
    public int Count => (int)Weight.shape[0];

    /// <summary>Numbers per row (the hidden size).</summary>
    public int Dimension => (int)Weight.shape[1];

    private Tensor Weight => _model.Module.TokenEmbeddings; // (vocab, hidden)

    // Rows that stand for a token of the tokenizer (checkpoints may pad the matrix to a multiple of 64 or 128).
    private int Named => Math.Min(Count, _model.Tokenizer.VocabularySize);

    /// <summary>The vector of the one token that is exactly this text (" Monday" with its space), or of a piece spelled as the vocabulary does ("▁Monday").</summary>
    public TokenVector Of(string token) => Of(IdOf(token));

    public TokenVector Of(int id)
    {
        CheckId(id);
        using var scope = NewDisposeScope();
        var values = Matrices.Vector(Weight[id]);
        return new TokenVector(id, Text(id), values, Math.Sqrt(values.Sum(v => (double)v * v)));
    }

    /// <summary>The <paramref name="count"/> tokens whose rows point most nearly the same way (cosine similarity), the token itself left out.</summary>
    public NearestTokens Nearest(string token, int count = 10) => Nearest(IdOf(token), count);

    public NearestTokens Nearest(int id, int count = 10)
    {
        if (count < 1) throw new WalkthroughException($"nearest {count}: ask for at least 1 token.");
        var vector = Of(id);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var weight = Weight;
        var row = weight[id];
        var dots = weight.matmul(row).to(float32);                                          // (vocab)
        using Scalar smallest = 1e-12, length = (float)Math.Max(vector.Norm, 1e-12);       // held through the calls: see Scalars
        var norms = weight.to(float32).norm(1).clamp_min(smallest);                         // rows of zeros (unused ids) score 0
        var cosines = (dots / norms.mul(length))[..Named];                                  // padding rows past the tokenizer's ids left out
        cosines[id] = tensor(float.NegativeInfinity);
        var (values, indices) = cosines.topk(Math.Min(count, Named - 1));
        var c = Matrices.Vector(values);
        var ids = Matrices.Vector(indices.to(float32));
        return new NearestTokens(vector, ids.Select((i, k) => new Neighbour((int)i, Text((int)i), c[k])).ToList());
    }

    /// <summary>Chosen tokens on a flat map: their rows' first two principal components (see <see cref="EmbeddingPca"/>).</summary>
    public EmbeddingPca Pca(params string[] tokens) => Pca(tokens.Select(IdOf).ToArray());

    public EmbeddingPca Pca(params int[] ids) => Pca(ids, ids.Select(_ => (string?)null).ToList());

    /// <summary>
    /// Groups of tokens on one map, each group its own colour:
    /// <c>Pca(("weekdays", [" Monday", " Tuesday", " Friday"]), ("months", [" March", " April", " May"]))</c>.
    /// </summary>
    public EmbeddingPca Pca(params (string Group, string[] Tokens)[] groups)
    {
        var members = groups.SelectMany(g => g.Tokens.Select(t => (Id: IdOf(t), g.Group))).ToList();
        return Pca(members.Select(m => m.Id).ToArray(), members.Select(m => (string?)m.Group).ToList());
    }

    private EmbeddingPca Pca(int[] ids, IReadOnlyList<string?> groups)
    {
        if (ids.Length < 3) throw new WalkthroughException($"A map of embeddings needs at least 3 tokens to show two directions; got {ids.Length}.");
        foreach (var id in ids) CheckId(id);
        using var scope = NewDisposeScope();
        var rows = Matrices.Rows(Weight.index_select(0, tensor(ids.Select(i => (long)i).ToArray(), int64, Weight.device)));
        return EmbeddingPca.From(ids, ids.Select(Text).ToList(), groups, rows.Select(r => r.Select(v => (double)v).ToArray()).ToList());
    }

    /// <summary>The matrix as numbers: <paramref name="count"/> rows from id <paramref name="first"/>, their first <paramref name="columns"/> numbers each.</summary>
    public EmbeddingRows Rows(int first = 0, int count = 16, int columns = EmbeddingRows.DefaultColumns)
    {
        if (count < 1) throw new WalkthroughException($"count {count}: show at least 1 row.");
        CheckId(first);
        var ids = Enumerable.Range(first, Math.Min(count, Named - first)).ToList();
        return Rows(ids, columns);
    }

    /// <summary>The rows of chosen token ids.</summary>
    public EmbeddingRows Rows(IReadOnlyList<int> ids, int columns = EmbeddingRows.DefaultColumns)
    {
        foreach (var id in ids) CheckId(id);
        using var scope = NewDisposeScope();
        var rows = Weight.index_select(0, tensor(ids.Select(i => (long)i).ToArray(), int64, Weight.device));
        return EmbeddingRows.From(ids, ids.Select(Text).ToList(), rows, columns);
    }

    /// <summary>The id of a token given as its text (" Monday") or its vocabulary spelling ("▁Monday"); a text that is several tokens is refused, naming them.</summary>
    public int IdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0) throw new WalkthroughException("The token is empty: give one token's text, e.g. \" Monday\" (with its leading space).");
        if (_model.Tokenizer.IdOfText(token) is { } id) return id;
        if (_model.Tokenizer.IdOf(token) is { } piece) return piece;
        var pieces = _model.Tokenizer.Tokenize(token, addSpecialTokens: false).Tokens;
        if (pieces.Count == 1)
            throw new WalkthroughException(
                $"\"{token}\" is not a token of {_model.Tokenizer.Name} as written; in a text it becomes {pieces[0].Text} (id {pieces[0].Id}): ask for \"{pieces[0].Text}\".");
        throw new WalkthroughException(
            $"\"{token}\" is not one token of {_model.Tokenizer.Name}: it is {pieces.Count} ({string.Join(" ", pieces.Select(p => p.Text))}); ask for one of them.");
    }

    private string Text(int id) => _model.Tokenizer.Describe(id).Text;

    private void CheckId(int id)
    {
        if (id < 0 || id >= Named) throw new WalkthroughException($"There is no token id {id}: {_model.Tokenizer.Name} has ids 0 to {Named - 1}.");
    }
}
