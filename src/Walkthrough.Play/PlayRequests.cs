using Walkthrough.Inference;

namespace Walkthrough.Play;

// What the page sends, as JSON. Every field may be missing; a missing one takes the value in the comment.

/// <summary>POST /api/sessions/{id}/tokens and /prompt: the instruction as typed and the template around it ("none").</summary>
internal sealed record PromptRequest(string? Text, string? Template)
{
    public PromptTemplate ChosenTemplate() => PromptTemplate.Named(string.IsNullOrEmpty(Template) ? PromptTemplate.None.Name : Template);

    public string Instruction() => Text ?? throw PlayError.BadInput("The request has no \"text\": send the prompt as {\"text\": \"...\"}.");
}

/// <summary>POST /api/sessions/{id}/step and /generate: the sliders (temperature 0 = greedy) and the seed of the draw.</summary>
internal sealed record RuleRequest(double? Temperature, int? TopK, double? TopP, double? MinP, ulong? Seed, int? MaxNewTokens)
{
    public const double MaxTemperature = 100;

    public SamplingOptions Rule()
    {
        var temperature = Temperature ?? 0;
        if (temperature is < 0 or > MaxTemperature)
            throw PlayError.BadInput($"temperature {temperature} is outside 0..{MaxTemperature}: 0 chooses greedily, 0.7 is a usual choice, above 2 is close to random.");
        return new SamplingOptions { Temperature = temperature, TopK = TopK ?? 0, TopP = TopP ?? 1, MinP = MinP ?? 0, Seed = Seed ?? 42 }.Validated();
    }

    public int Tokens(int room)
    {
        var count = MaxNewTokens ?? 40;
        if (count < 1) throw PlayError.BadInput($"maxNewTokens {count}: ask for at least 1 token.");
        if (room == 0) throw PlayError.BadInput("This page's text is full (its token limit): undo some tokens, or shorten the prompt.");
        return Math.Min(count, room);
    }
}

/// <summary>POST /api/sessions/{id}/force: the token to append, by id.</summary>
internal sealed record ForceRequest(int? Id)
{
    public int Token() => Id ?? throw PlayError.BadInput("The request has no \"id\": send the token to force as {\"id\": 22210}.");
}
