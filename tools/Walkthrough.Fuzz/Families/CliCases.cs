namespace Walkthrough.Fuzz.Families;

/// <summary>
/// The command line's own inputs, run through the real <c>walkthrough</c> entry point: an empty or blank --model,
/// a file where a folder belongs, another file where config.json or a tokenizer belongs, a hub id while offline.
/// Option values (temperature, top, steps) are checked by the commands themselves and tested with them.
/// </summary>
internal sealed class CliCases : CaseSource
{
    private static readonly (string[] Arguments, Judgement Judgement, string[] Files)[] All =
    [
        (["next", "--model", "", "Hi"], Judgement.Refuse("--model is empty"), ["model"]),
        (["inspect", "--model", ""], Judgement.Refuse("--model is empty"), ["model"]),
        (["inspect", "--model", "   "], Judgement.Refuse("--model is blank"), ["model"]),
        (["plan", ""], Judgement.Refuse("the model to plan is empty"), ["model", "config"]),
        (["plan", " "], Judgement.Refuse("the model to plan is blank"), ["model", "config"]),
        (["tokens", "--tokenizer", "", "x"], Judgement.Refuse("--tokenizer is empty"), ["tokenizer"]),
        (["next", "--model", "{folder}/config.json", "Hi"], Judgement.Refuse("a file is no model folder"), ["config.json"]),
        (["inspect", "--model", "{folder}/missing"], Judgement.Refuse("the folder does not exist"), ["missing"]),
        (["plan", "{folder}/model.safetensors"], Judgement.Refuse("weights are no config"), ["model.safetensors"]),
        (["plan", "{folder}/tokenizer.json"], Judgement.Refuse("a tokenizer is no config"), ["tokenizer.json"]),
        (["tokens", "--tokenizer", "{folder}/config.json", "x"], Judgement.Refuse("a config is no tokenizer"), ["config.json"]),
        (["tokens", "--tokenizer", "{folder}/missing", "x"], Judgement.Refuse("the tokenizer does not exist"), ["missing"]),
        (["inspect", "--model", "nobody/nothing"], Judgement.Refuse("offline, and the cache lacks it"), ["nobody/nothing"]),
        (["inspect", "--model", "{folder}/\u0000x"], Judgement.Refuse("a NUL in the path"), ["x"]),
        (["plan", "{folder}", "--gpu", "A100-80GB"], Judgement.Harmless, []),
        (["tokens", "--tokenizer", "{folder}", "x"], Judgement.Harmless, []),
    ];

    public override Family Family => Family.Cli;

    public override FuzzCase Make(int index, Random random)
    {
        var (arguments, judgement, files) = All[index % All.Length];
        return new FuzzCase($"walkthrough {string.Join(' ', arguments.Select(a => a.Length == 0 || a.Contains(' ') ? $"\"{a}\"" : a.Replace("\0", "\\0")))}",
            judgement, files, _ => { }, arguments);
    }
}
