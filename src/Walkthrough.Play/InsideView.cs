using Walkthrough.Inside;
using Walkthrough.Tokens;

namespace Walkthrough.Play;

// GET /api/sessions/{id}/inside?layer=L&head=H: the page's "Inside the model" section, from model.Trace of the
// session's text (ForwardTrace.Attention and .Lens, the calls lesson 05 makes).

/// <summary>
/// One head's attention over the text, and the logit lens of every layer, for the session's text as it is now.
/// </summary>
/// <param name="Tokens">The traced text, one token per position: the session's own ids (prompt and added tokens).</param>
/// <param name="Limit">The most tokens the inside view traces (--inside-tokens).</param>
/// <param name="LastToken">Per head of the layer: the position the last token takes most from, to predict what comes next.</param>
/// <param name="Lens">Layer 0 reads the embeddings, n the residual stream after n layers; the last row is the model's own prediction.</param>
/// <param name="Traced">Whether this answer took a forward pass (false: the session's cache had it).</param>
internal sealed record InsideView(
    IReadOnlyList<InsideToken> Tokens,
    int Layers,
    int Heads,
    int Limit,
    AttentionView Attention,
    IReadOnlyList<FocusView> LastToken,
    IReadOnlyList<LensRowView> Lens,
    bool Traced)
{
    public static InsideView Of(InsideCache cache, int count, int layer, int head, int heads, int limit, bool traced)
    {
        var maps = cache.Layer(layer, count);
        var lens = cache.Lens(count).ToList();
        return new InsideView(
            [.. cache.Tokens(count).Select(InsideToken.Of)],
            lens.Count - 1,
            heads,
            limit,
            AttentionView.Of(maps.Heads.Single(m => m.Head == head)),
            [.. maps.LastTokenFocus.Select(f => new FocusView(f.Head, f.Position, f.Text, f.Weight))],
            [.. lens.Select((row, l) => new LensRowView(l, [.. row.Select(p => p.Top.Select(g => new LensGuess(g.Id, g.Text, g.Probability)).ToList())]))],
            traced);
    }
}

internal sealed record InsideToken(int Position, int Id, string Token, bool Special)
{
    public static InsideToken Of(Token token) => new(token.Index, token.Id, token.Text, token.Kind == TokenKind.Special);
}

/// <summary>
/// Weights[q][k]: how much the token at query position q takes from key position k (each row sums to 1); null where
/// the model masks the key from the query (a later token, or one beyond Mistral's sliding window).
/// </summary>
internal sealed record AttentionView(int Layer, int Head, int KeyValueHead, bool Grouped, float?[][] Weights)
{
    public static AttentionView Of(AttentionMap map) => new(map.Layer, map.Head, map.KeyValueHead, map.Grouped,
        [.. map.Weights.Select((row, q) => row.Select((w, k) => map.Allowed[q][k] ? w : (float?)null).ToArray())]);
}

internal sealed record FocusView(int Head, int Position, string Token, float Weight);

/// <summary>One layer of the lens: per position, the tokens it would predict next, most likely first.</summary>
internal sealed record LensRowView(int Layer, IReadOnlyList<IReadOnlyList<LensGuess>> Positions);

internal sealed record LensGuess(int Id, string Token, double Probability);
