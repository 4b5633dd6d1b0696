using System.CommandLine;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough generate "INSTRUCTION"</c>: lesson 5 — the prompt template, generation, the cleaned answer.</summary>
public static class GenerateCommand
{
    public static Command Create(Terminal terminal)
    {
        var instruction = new Argument<string>("instruction") { Description = "What to ask; '-' reads standard input." };
        var template = new Option<string>("--template") { Description = "mpt-instruct (default), mistral, none, or chatml/llama3/zephyr.", DefaultValueFactory = _ => "mpt-instruct" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "The most tokens to generate (at most the model's context); it also stops when the context is full.", DefaultValueFactory = _ => 200 };
        var stop = new Option<string[]>("--stop") { Description = "Stop (and cut the answer) at this text; may be repeated.", AllowMultipleArgumentsPerToken = false };
        var stream = new Option<bool>("--stream") { Description = "Print the answer as it is generated." };
        var truncate = new Option<bool>("--truncate") { Description = "If the prompt is longer than the context, keep its end." };
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): the prompt, the answer, why it stopped, the rule, tokens and time." };
        var model = new ModelOptions();
        var sampling = new SamplingArguments();
        var command = new Command("generate", "Wrap an instruction in a prompt template and generate the answer.") { instruction, template, maxNew, stop, stream, truncate, json };
        model.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var options = new GenerationOptions
            {
                Template = PromptTemplate.Named(parse.GetValue(template)!),
                MaxNewTokens = parse.GetValue(maxNew),
                Sampling = sampling.Read(parse),
                StopStrings = parse.GetValue(stop) ?? [],
                TruncateFromLeft = parse.GetValue(truncate),
            };
            var text = Input.Read(parse.GetValue(instruction), terminal);
            // Before loading: a model of many GiB should not be read only to be told the instruction is empty.
            if (string.IsNullOrWhiteSpace(text))
                throw new WalkthroughException("The instruction is empty: ask the model something, e.g. \"List the days of the week.\"");
            using var loaded = model.Load(parse, terminal);
            if (parse.GetValue(stream) && !parse.GetValue(json))
            {
                foreach (var piece in loaded.GenerateStreamAsync(text, options).ToBlockingEnumerable())
                {
                    terminal.Out.Write(piece);
                    terminal.Out.Flush();
                }
                terminal.Out.WriteLine();
                return ExitCodes.Ok;
            }
            var result = loaded.Generate(text, options);
            if (parse.GetValue(json))
            {
                Input.WriteJson(terminal, new
                {
                    model = loaded.Name,
                    template = parse.GetValue(template),
                    instruction = text,
                    prompt = result.Prompt,
                    text = result.Text,
                    stop_reason = result.StopReason,
                    stop_string = result.StopString,
                    prompt_tokens = result.PromptTokens,
                    new_tokens = result.NewIds.Count,
                    max_new_tokens = options.MaxNewTokens,
                    sampling = JsonShapes.Sampling(options.Sampling),
                    seconds = JsonShapes.Seconds(result.Elapsed),
                });
            }
            else
            {
                terminal.Out.WriteLine(result.Text);
                terminal.Error.WriteLine($"({result.NewIds.Count} tokens, stopped: {result.StopReason}{(result.StopString is null ? "" : $" at \"{result.StopString}\"")}, {result.Elapsed.TotalSeconds:0.0} s)");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
