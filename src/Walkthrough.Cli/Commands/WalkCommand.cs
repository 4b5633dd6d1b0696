using System.CommandLine;
using Spectre.Console;
using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough walk ["PROMPT"]</c>: the whole story in a terminal — tokens, memory, loading, the next-token
/// candidates of the first steps, and the answer — on the bundled model unless --model says otherwise.
/// </summary>
public static class WalkCommand
{
    public const string SeedPrompt = "Can you write an email explaining what an LLM is?";

    private const int MaxSteps = 50;

    public static Command Create(Terminal terminal)
    {
        var prompt = new Argument<string>("prompt") { Description = "The request.", DefaultValueFactory = _ => SeedPrompt };
        var steps = new Option<int>("--steps") { Description = "Next-token steps to show in detail.", DefaultValueFactory = _ => 3 };
        var model = new ModelOptions();
        var command = new Command("walk", "The whole walkthrough in the terminal: tokens, memory, loading, next-token steps, the answer.") { prompt, steps };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var console = terminal.Ansi();
            var request = Input.Read(parse.GetValue(prompt), terminal);
            if (string.IsNullOrWhiteSpace(request)) throw new WalkthroughException("The prompt is empty: give the model a request, e.g. \"" + SeedPrompt + "\".");
            var detailed = parse.GetValue(steps);
            if (detailed is < 1 or > MaxSteps) throw new WalkthroughException($"--steps {detailed}: show between 1 and {MaxSteps} steps in detail.");

            Heading(console, "1 · Text becomes tokens");
            using var loaded = model.Load(parse, terminal);
            var table = loaded.Tokenizer.Tokenize(request);
            terminal.Out.WriteLine(table.ToString());
            terminal.Out.WriteLine(table.Chips().ToString());

            Heading(console, "2 · Will it fit? GPU memory, before loading");
            var report = GpuReport.Read(askTorch: false);
            terminal.Out.WriteLine(report.Available ? report.ToString() : $"No NVIDIA GPU ({report.Reason}); this machine has {Display.Units.Bytes(report.Machine.RamTotalBytes ?? 0)} of RAM.");
            terminal.Out.WriteLine($"{loaded.Name}: {loaded.ParameterCount:N0} parameters × {(loaded.Dtype == TorchSharp.torch.ScalarType.Float32 ? 4 : 2)} bytes = {Display.Units.Bytes(loaded.ParameterBytes)} of weights.");
            var (seed, fixedPlan) = SeedPlans();
            terminal.Out.WriteLine($"The seed notebook's Mistral-7B in float32 on a 16 GB V100: {seed.Verdict}");
            terminal.Out.WriteLine($"The same model in float16: {fixedPlan.Verdict}");
            terminal.Out.WriteLine(seed.ContextNote);

            Heading(console, "3 · The model");
            terminal.Out.WriteLine(loaded.Config.ToString());
            terminal.Out.WriteLine($"{loaded}");

            Heading(console, "4 · Predicting the next token");
            var instruct = PromptTemplate.MptInstruct;
            using (var session = loaded.Start(instruct.Apply(request), candidates: 5))
            {
                while (session.Steps.Count < detailed && !session.Ended) terminal.Out.WriteLine(session.Next().ToString());
            }

            Heading(console, "5 · The answer");
            var answer = loaded.Generate(request, new GenerationOptions { Template = instruct });
            terminal.Out.WriteLine(answer.Text.Trim());
            terminal.Error.WriteLine($"({answer.NewIds.Count} tokens in {answer.Elapsed.TotalSeconds:0.0} s, stopped: {answer.StopReason})");

            Heading(console, "6 · Inside the model: the first answer token, layer by layer");
            using (var trace = loaded.Trace(instruct.Apply(request), new Inside.TraceOptions { AttentionLayers = [] }))
                terminal.Out.WriteLine(trace.Lens().At(^1).ToString());
            terminal.Out.WriteLine("(the logit lens: `walkthrough lens`, `attention` and `embeddings` show more)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The seed's two loads as the planner sees them, at its default context: the sentences the walk, lesson 02 and the
    /// README tell, and `walkthrough plan data/configs/mistral-7b --gpu V100-16GB` prints.
    /// </summary>
    public static (MemoryPlan Float32, MemoryPlan Float16) SeedPlans()
    {
        var mistral = ModelConfig.Read(Path.Combine(KitData.Root, "configs", "mistral-7b"));
        var v100 = Gpu.Named("V100-16GB");
        return (MemoryPlan.For(mistral, Dtype.Float32, v100, model: "Mistral-7B"), MemoryPlan.For(mistral, Dtype.Float16, v100, model: "Mistral-7B"));
    }

    private static void Heading(IAnsiConsole console, string title) => console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
}
