using System.CommandLine;
using Walkthrough.Checkpoints;

namespace Walkthrough.Cli;

/// <summary>The options every model command shares (--model, --device, --dtype, --int8) and the loading with progress.</summary>
public sealed class ModelOptions
{
    private readonly Option<string> _model = new("--model")
    {
        Description = "A Hugging Face model folder, or a model id on the hub (org/name or org/name@revision), downloaded into the Hugging Face cache. " +
            "Default: data/models/walkthrough-tiny.",
    };
    private readonly Option<string> _device = new("--device") { Description = "cpu, cuda or cuda:N. Default: the bundled model on cpu; others on cuda when there is one." };
    private readonly Option<string> _dtype = new("--dtype") { Description = "float32, bfloat16 or float16. Default: float32 on cpu, bfloat16/float16 on cuda." };
    private readonly Option<bool> _int8 = new("--int8") { Description = "Store Linear weights in 8 bits (per output channel)." };

    public void AddTo(Command command)
    {
        command.Add(_model);
        command.Add(_device);
        command.Add(_dtype);
        command.Add(_int8);
    }

    public LanguageModel Load(ParseResult parse, Terminal terminal)
    {
        var folder = parse.GetValue(_model);
        var options = new LoadOptions
        {
            Device = parse.GetValue(_device) ?? (folder is null ? "cpu" : null),
            Dtype = parse.GetValue(_dtype),
            Int8 = parse.GetValue(_int8),
        };
        var started = DateTime.UtcNow;
        var model = Progress(terminal, progress => LanguageModel.Load(folder ?? KitData.DefaultModel, options, progress));
        terminal.Error.WriteLine($"loaded {model} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        return model;
    }

    // Progress bars (downloads, then loading) on a terminal; on redirected output, silence until the summary line.
    private static LanguageModel Progress(Terminal terminal, Func<IProgress<LoadProgress>?, LanguageModel> load) =>
        !ReferenceEquals(terminal.Error, Console.Error) || Console.IsErrorRedirected ? load(null) : ProgressBars.Show(load);
}
