using System.Text.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "post_processor": the special tokens wrapped around an encoded text, such as Mistral's
/// &lt;s&gt; at the start. Only single texts are encoded here, so only the "single" template matters.
/// </summary>
internal sealed record PostProcessing(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    private const string Supported = "TemplateProcessing, ByteLevel, Sequence, BertProcessing, RobertaProcessing";

    public static readonly PostProcessing None = new([], []);

    public static PostProcessing From(JsonElement json, string file)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return None;
        var type = json.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "ByteLevel":
                return None; // only trims offsets; adds no tokens
            case "Sequence":
                var steps = json.GetProperty("processors").EnumerateArray().Select(p => From(p, file)).ToList();
                return new PostProcessing(steps.SelectMany(s => s.Prefix).ToList(), steps.SelectMany(s => s.Suffix).ToList());
            case "TemplateProcessing":
                return Template(json, file);
            case "BertProcessing":
            case "RobertaProcessing":
                return new PostProcessing([json.GetProperty("cls")[1].GetInt32()], [json.GetProperty("sep")[1].GetInt32()]);
            default:
                throw TokenizerJsonError.Unsupported(file, "post_processor", type, Supported);
        }
    }

    private static PostProcessing Template(JsonElement json, string file)
    {
        var specials = json.GetProperty("special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var item in json.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }
            var name = item.GetProperty("SpecialToken").GetProperty("id").GetString() ?? "";
            if (!specials.TryGetProperty(name, out var special))
                throw TokenizerJsonError.Malformed(file, $"the post_processor template names \"{name}\", which its special_tokens lack");
            (seenSequence ? suffix : prefix).AddRange(special.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        }
        return new PostProcessing(prefix, suffix);
    }
}
