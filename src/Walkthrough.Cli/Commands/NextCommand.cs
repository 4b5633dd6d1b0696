using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough next "PROMPT"</c>: lesson 4 in a terminal — the candidates for the next token, step by step.</summary>
public static class NextCommand
{
    public static Command Create(Terminal terminal)
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to continue; '-' reads standard input." };
        var top = new Option<int>("--top") { Description = "Candidates to show per step.", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "How many tokens to predict.", DefaultValueFactory = _ => 1 };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole text every step instead of using the KV cache." };
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per step with its candidates and the chosen token." };
        var model = new ModelOptions();
        var sampling = new SamplingArguments();
        var command = new Command("next", "Show the model's candidates for the next token, and which one is chosen and why.") { prompt, top, steps, noCache, json };
        model.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var text = Input.Read(parse.GetValue(prompt), terminal);
            var options = sampling.Read(parse);
            if (parse.GetValue(steps) < 1) throw new WalkthroughException($"--steps {parse.GetValue(steps)}: ask for at least 1.");
            using var loaded = model.Load(parse, terminal);
            using var session = loaded.Start(text, options, useCache: !parse.GetValue(noCache), candidates: Math.Max(1, parse.GetValue(top)));
            var done = new List<NextTokenStep>();
            for (var i = 0; i < parse.GetValue(steps); i++)
            {
                var step = session.Next();
                done.Add(step);
                if (!parse.GetValue(json)) Show(terminal, step);
            }
            if (parse.GetValue(json)) terminal.Out.WriteLine(JsonSerializer.Serialize(done.Select(Json), Input.JsonOptions));
            else terminal.Out.WriteLine($"text: {text}{session.NewText}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static object Json(NextTokenStep step) => new
    {
        step = step.Step,
        candidates = step.Candidates.Select(c => new { id = c.Id, text = c.Text, logit = c.Logit, probability = c.Probability }),
        chosen = new { id = step.Chosen.Id, text = step.Chosen.Text, logit = step.Chosen.Logit, probability = step.Chosen.Probability, rule = step.Rule },
    };

    private static void Show(Terminal terminal, NextTokenStep step)
    {
        var console = terminal.Ansi();
        console.MarkupLine($"[bold]step {step.Step}[/]: chose [yellow]{Markup.Escape(step.Chosen.Text)}[/] (id {step.Chosen.Id}, p = {step.Chosen.Probability:0.000}) — {Markup.Escape(step.Rule)}; entropy {step.Entropy:0.00} bits");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("rank", "token", "id", "logit", "probability", "", "cumulative");
        foreach (var c in step.Candidates)
        {
            var bar = new string('█', (int)Math.Round(c.Probability * 30));
            var token = c.Id == step.Chosen.Id ? $"[yellow]{Markup.Escape(c.Text)}[/]" : Markup.Escape(c.Text);
            table.AddRow(c.Rank.ToString(), token, c.Id.ToString(), c.Logit.ToString("0.00"), c.Probability.ToString("0.0000"), $"[blue]{bar}[/]", c.CumulativeProbability.ToString("0.0000"));
        }
        console.Write(table);
    }
}
