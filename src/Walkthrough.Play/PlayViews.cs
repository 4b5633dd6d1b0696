using System.Runtime.InteropServices;
using System.Text;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Tokens;

namespace Walkthrough.Play;

// What the playground's endpoints answer, as JSON (camelCase). docs/workshop.md and the report list the endpoints.

/// <summary>POST /api/sessions and GET /api/sessions/{id}: the page's session, the model, the limits, the templates.</summary>
internal sealed record SessionView(string Session, ModelView Model, LimitsView Limits, IReadOnlyList<TemplateView> Templates, StateView State);

internal sealed record ModelView(string Name, string Architecture, long Parameters, string Dtype, string Device, int Context, int Vocabulary)
{
    public static ModelView Of(LanguageModel model) => new(model.Name, model.Config.Architecture.ToString(), model.ParameterCount,
        model.Dtype.ToString().ToLowerInvariant(), model.Device.ToString(), model.ContextLength, model.Tokenizer.VocabularySize);
}

internal sealed record LimitsView(int Sessions, int Tokens, int NewTokens, double IdleMinutes, int RequestsPerSecond, long SessionBytes)
{
    public static LimitsView Of(LanguageModel model, PlaygroundOptions options) => new(options.MaxSessions, options.TokensFor(model),
        options.MaxNewTokens, options.IdleTimeout.TotalMinutes, options.RequestsPerSecond, options.MemoryFor(model).TotalBytes);
}

internal sealed record TemplateView(string Name, string Format, IReadOnlyList<string> StopStrings)
{
    public static IReadOnlyList<TemplateView> All() => [.. PromptTemplate.Known.Concat(ChatTemplates.Names.Select(PromptTemplate.Named))
        .Select(t => new TemplateView(t.Name, t.Format, t.StopStrings))];
}

/// <summary>A token of the prompt, as `walkthrough tokens` lists it: Token is the vocabulary's spelling (▁ for a space).</summary>
internal sealed record TokenView(int Index, int Id, string Token, int Start, int End, string Kind)
{
    public static TokenView Of(Token token) => new(token.Index, token.Id, token.Text, token.Start, token.End, token.Kind.ToString().ToLowerInvariant());
}

/// <summary>POST /api/sessions/{id}/tokens: the chips of a prompt as typed, before the model reads it.</summary>
internal sealed record TokensView(string Text, IReadOnlyList<TokenView> Tokens, int Count, int Limit)
{
    public static TokensView Of(TokenTable table, int limit, int shown) =>
        new(table.Text, [.. table.Tokens.Take(shown).Select(TokenView.Of)], table.Count, limit);
}

/// <summary>A candidate for the next token: the page draws the top ones as bars and computes every probability itself.</summary>
internal sealed record CandidateView(int Id, string Token, float Logit, bool Special);

/// <summary>
/// The scores for the next token. Logits holds every one of them, float32 little-endian in base64, so the page can
/// apply temperature, top-k, top-p and min-p as a slider moves, with no request and no forward pass.
/// </summary>
internal sealed record NextView(string Logits, int Vocabulary, IReadOnlyList<CandidateView> Top)
{
    public static NextView Of(float[] logits, Tokenizer tokenizer, int count)
    {
        var top = Sampling.Largest(Sampling.Softmax(logits), count)
            .Select(id => new CandidateView(id, tokenizer.Describe(id).Text, logits[id], tokenizer.IsSpecial(id)));
        return new NextView(Convert.ToBase64String(MemoryMarshal.AsBytes(logits.AsSpan())), logits.Length, [.. top]);
    }
}

internal sealed record CacheView(long Tokens, long Bytes);

/// <summary>Everything a page shows of its session after each request.</summary>
internal sealed record StateView(
    string Instruction,
    string Template,
    TokensView? Prompt,
    IReadOnlyList<StepView> Steps,
    IReadOnlyList<string> Pieces,
    string Continuation,
    NextView? Next,
    int Length,
    int Limit,
    int Room,
    CacheView Cache,
    bool CanUndo)
{
    public static StateView Of(LearnerSession session, LanguageModel model, PlaygroundOptions options)
    {
        var limit = options.TokensFor(model);
        var text = session.Text;
        var length = text?.Ids.Count ?? 0;
        var room = text is null ? 0 : Math.Max(0, Math.Min(limit - length, options.MaxNewTokens - session.Steps.Count));
        return new StateView(
            session.Instruction,
            session.Template.Name,
            session.Prompt is { } prompt ? TokensView.Of(prompt, limit, prompt.Count) : null,
            session.Steps,
            text is null ? [] : PiecesOf(model.Tokenizer, text.NewIds),
            text?.NewText ?? "",
            text is null ? null : NextView.Of(text.LogitsForNext(), model.Tokenizer, options.Candidates),
            length,
            limit,
            room,
            new CacheView(text?.CachedTokens ?? 0, text?.CacheBytes ?? 0),
            session.Steps.Count > 0);
    }

    /// <summary>The text each new token adds; empty while a character's bytes are still arriving (an emoji is four tokens).</summary>
    public static IReadOnlyList<string> PiecesOf(Tokenizer tokenizer, IEnumerable<int> ids)
    {
        var utf8 = Encoding.UTF8.GetDecoder();
        return [.. ids.Select(id =>
        {
            var bytes = tokenizer.BytesOf(id);
            var chars = new char[utf8.GetCharCount(bytes, flush: false)];
            utf8.GetChars(bytes, chars, flush: false);
            return new string(chars);
        })];
    }
}
