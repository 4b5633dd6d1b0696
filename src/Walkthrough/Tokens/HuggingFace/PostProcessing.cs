using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// The tokenizer.json "post_processor": the special tokens wrapped around an encoded text, such as Mistral's
/// &lt;s&gt; at the start. Only single texts are encoded here, so only the "single" template matters. Every id it
/// adds must be in the vocabulary: the model has no row for any other.
/// </summary>
internal sealed record PostProcessing(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    private const string Supported = "TemplateProcessing, ByteLevel, Sequence, BertProcessing, RobertaProcessing";

    public static readonly PostProcessing None = new([], []);

    public static PostProcessing From(JsonField json, int vocabularySize)
    {
        if (json.IsMissing) return None;
        var type = json.Object()["type"].String();
        switch (type)
        {
            case "ByteLevel":
                return None; // only trims offsets; adds no tokens
            case "Sequence":
                var steps = json["processors"].Items().Select(p => From(p, vocabularySize)).ToList();
                return new PostProcessing(steps.SelectMany(s => s.Prefix).ToList(), steps.SelectMany(s => s.Suffix).ToList());
            case "TemplateProcessing":
                return Template(json, vocabularySize);
            case "BertProcessing":
            case "RobertaProcessing":
                return new PostProcessing([PairId(json["cls"], vocabularySize)], [PairId(json["sep"], vocabularySize)]);
            default:
                throw TokenizerJsonError.Unsupported(json["type"], "post_processor", type, Supported);
        }
    }

    private static PostProcessing Template(JsonField json, int vocabularySize)
    {
        var specials = json["special_tokens"].Object();
        foreach (var (_, special) in specials.Members())
        {
            special.Object()["id"].String();
            foreach (var id in special["ids"].Items()) Id(id, vocabularySize);
            foreach (var token in special["tokens"].Items()) token.String();
        }
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var item in json["single"].Items())
        {
            if (item.Members().Count() != 1) throw item.Error("is not {\"Sequence\": ...} or {\"SpecialToken\": ...}, one key alone");
            if (item["Sequence"] is { Exists: true } sequence)
            {
                sequence.Object()["id"].String();
                seenSequence = true;
                continue;
            }
            var token = item["SpecialToken"];
            if (!token.Exists) throw item.Error("is neither a Sequence nor a SpecialToken");
            var name = token.Object()["id"].String();
            var special = specials[name];
            if (!special.Exists) throw token["id"].Error($"names \"{name}\", which post_processor.special_tokens lacks");
            (seenSequence ? suffix : prefix).AddRange(special.Object()["ids"].Items().Select(id => Id(id, vocabularySize)));
        }
        return new PostProcessing(prefix, suffix);
    }

    // BERT's and RoBERTa's ["[CLS]", 101] pairs.
    private static int PairId(JsonField pair, int vocabularySize)
    {
        var items = pair.Items().ToList();
        if (items.Count != 2) throw pair.Error("is not a [token, id] pair");
        items[0].String();
        return Id(items[1], vocabularySize);
    }

    private static int Id(JsonField id, int vocabularySize) =>
        id.Int(0, vocabularySize - 1, $"but the vocabulary's ids run from 0 to {vocabularySize - 1:N0}: the model has no row for it");
}
