using System.CommandLine;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary>--temperature, --top-k, --top-p, --min-p, --repetition-penalty and --seed, read into SamplingOptions.</summary>
public sealed class SamplingArguments
{
    private readonly Option<double> _temperature = new("--temperature") { Description = "0 (default) is greedy; above 0 samples, e.g. 0.7." };
    private readonly Option<int> _topK = new("--top-k") { Description = "Sample only from the k most likely tokens (0 = no limit)." };
    private readonly Option<double> _topP = new("--top-p") { Description = "Sample from the fewest tokens whose probabilities reach p (1 = no limit).", DefaultValueFactory = _ => 1 };
    private readonly Option<double> _minP = new("--min-p") { Description = "Drop tokens less likely than this fraction of the best (0 = no limit)." };
    private readonly Option<double> _penalty = new("--repetition-penalty") { Description = "Above 1 discourages repeating tokens (1 = off).", DefaultValueFactory = _ => 1 };
    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of the draw when sampling.", DefaultValueFactory = _ => 42 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _temperature, _topK, _topP, _minP, _penalty, _seed }) command.Add(option);
    }

    public SamplingOptions Read(ParseResult parse) => new SamplingOptions
    {
        Temperature = parse.GetValue(_temperature),
        TopK = parse.GetValue(_topK),
        TopP = parse.GetValue(_topP),
        MinP = parse.GetValue(_minP),
        RepetitionPenalty = parse.GetValue(_penalty),
        Seed = parse.GetValue(_seed),
    }.Validated();
}
