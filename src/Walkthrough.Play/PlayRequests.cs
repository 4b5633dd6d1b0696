using System.Globalization;
using Microsoft.AspNetCore.Http;
using Walkthrough.Checkpoints;
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

/// <summary>GET /api/sessions/{id}/inside?layer=L&amp;head=H: the attention head to draw (both 0 when missing), checked against the model.</summary>
internal sealed record InsideRequest(int Layer, int Head)
{
    public static InsideRequest From(IQueryCollection query, LanguageModel model)
    {
        var config = model.Config;
        var layer = Number(query, "layer", $"{model.Name} has {config.Layers} layers, numbered 0 to {config.Layers - 1}", config.Layers);
        var head = Number(query, "head", $"{model.Name} has {config.Heads} attention heads per layer, numbered 0 to {config.Heads - 1}", config.Heads);
        return new InsideRequest(layer, head);
    }

    private static int Number(IQueryCollection query, string name, string has, int count)
    {
        var given = query[name].ToString();
        if (given.Length == 0) return 0;
        if (!int.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw PlayError.BadInput($"{name} \"{given}\" is not a whole number: {has}.");
        if (value < 0 || value >= count) throw PlayError.BadInput($"There is no {name} {value}: {has}.");
        return value;
    }
}
