using System.CommandLine;
using Spectre.Console;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough next "PROMPT"</c>: lesson 4 in a terminal — the candidates for the next token, step by step.</summary>
public static class NextCommand
{
    // The bar column takes what the other columns leave of the terminal's width, within these bounds.
    private const int ShortestBar = 5, LongestBar = 30;

    public static Command Create(Terminal terminal)
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to continue; '-' reads standard input." };
        var top = new Option<int>("--top") { Description = "Candidates to show per step (1 or more).", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "How many tokens to predict; it stops early at the end-of-text token.", DefaultValueFactory = _ => 1 };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole text every step instead of using the KV cache." };
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): the rule, then each step's candidates (with what top-k/top-p/min-p cut), choice, entropy and time." };
        var model = new ModelOptions();
        var sampling = new SamplingArguments();
        var command = new Command("next", "Show the model's candidates for the next token, which one is chosen and why, and what the sampling rules cut.") { prompt, top, steps, noCache, json };
        model.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var text = Input.Read(parse.GetValue(prompt), terminal);
            var options = sampling.Read(parse);
            var (count, candidates) = (parse.GetValue(steps), parse.GetValue(top));
            if (count < 1) throw new WalkthroughException($"--steps {count}: ask for at least 1 step.");
            if (candidates < 1) throw new WalkthroughException($"--top {candidates}: show at least 1 candidate (10 is the default).");
            using var loaded = model.Load(parse, terminal);
            if (candidates > loaded.Tokenizer.VocabularySize)
                throw new WalkthroughException($"--top {candidates:N0} is more than the {loaded.Tokenizer.VocabularySize:N0} tokens {loaded.Name} knows.");
            using var session = loaded.Start(text, options, useCache: !parse.GetValue(noCache), candidates: candidates);
            var room = loaded.ContextLength - session.PromptLength;
            if (count > room)
                throw new WalkthroughException($"--steps {count:N0} is more than fits: {loaded.Name} reads {loaded.ContextLength:N0} tokens and the prompt takes {session.PromptLength:N0}, leaving room for {room:N0}.");
            while (session.Steps.Count < count && !session.Ended)
            {
                var step = session.Next();
                if (!parse.GetValue(json)) Show(terminal, step);
            }
            if (parse.GetValue(json))
            {
                Input.WriteJson(terminal, Json(loaded, session, text, options));
                return ExitCodes.Ok;
            }
            terminal.Out.WriteLine($"text: {text}{session.NewText}");
            if (session.Ended && session.Steps.Count < count)
                terminal.Out.WriteLine($"(stopped after {session.Steps.Count} of {count} steps: the model chose {session.Steps[^1].Chosen.Text}, its end-of-text token)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static object Json(LanguageModel model, NextTokenSession session, string prompt, SamplingOptions options) => new
    {
        model = model.Name,
        prompt,
        prompt_tokens = session.PromptLength,
        used_cache = session.UsesCache,
        sampling = JsonShapes.Sampling(options),
        steps = session.Steps.Select(step => new
        {
            step = step.Step,
            position = step.Position,
            rule = step.Rule,
            forced = step.Forced,
            ends_text = step.EndsText,
            entropy_bits = Math.Round(step.Entropy, 4),
            tokens_computed = step.TokensComputed,
            seconds = JsonShapes.Seconds(step.Elapsed),
            chosen = JsonShapes.Candidate(model.Tokenizer, step.Chosen),
            candidates = step.Candidates.Select(c => JsonShapes.Candidate(model.Tokenizer, c)),
        }),
        new_text = session.NewText,
        ended = session.Ended,
    };

    private static void Show(Terminal terminal, NextTokenStep step)
    {
        var console = terminal.Ansi();
        console.MarkupLine($"[bold]step {step.Step}[/]: chose [yellow]{Markup.Escape(step.Chosen.Text)}[/] (id {step.Chosen.Id}, p = {step.Chosen.Probability:0.000}) — " +
                           $"{Markup.Escape(step.Rule)}; entropy {step.Entropy:0.00} bits; model {step.Elapsed.TotalMilliseconds:0} ms");
        if (step.EndsText) console.MarkupLine($"[bold]{Markup.Escape(step.EndNote)}[/]");
        var cuts = step.Candidates.Any(c => !c.Kept);
        var tokenWidth = Math.Clamp(step.Candidates.Max(c => c.Text.Length), 5, 16);
        var columns = cuts ? 8 : 7;
        var fixedWidth = 4 + tokenWidth + 5 + 5 + 5 + 5 + (cuts ? 9 : 0) + 3 * columns + 1; // cells, then padding and borders
        var barWidth = Math.Clamp(console.Profile.Width - fixedWidth - 1, ShortestBar, LongestBar);

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("rank").AddColumn(new TableColumn("token").Width(tokenWidth)).AddColumn("id").AddColumn("logit").AddColumn("p")
            .AddColumn(new TableColumn("").Width(barWidth).NoWrap()).AddColumn("cum.");
        if (cuts) table.AddColumn("draw");
        foreach (var c in step.Candidates)
        {
            var bar = new string('█', (int)Math.Round(c.Probability * barWidth));
            var token = Markup.Escape(c.Text.Length > tokenWidth ? c.Text[..(tokenWidth - 1)] + "…" : c.Text);
            token = c.Id == step.Chosen.Id ? $"[yellow]{token}[/]" : c.Kept ? token : $"[grey]{token}[/]";
            var row = new List<string> { c.Rank.ToString(), token, c.Id.ToString(), c.Logit.ToString("0.00"), c.Probability.ToString("0.000"), $"[{(c.Kept ? "blue" : "grey")}]{bar}[/]", c.CumulativeProbability.ToString("0.000") };
            if (cuts) row.Add(c.CutBy is { } cut ? $"[grey]{cut.Name()} cut[/]" : "kept");
            table.AddRow(row.ToArray());
        }
        console.Write(table);
    }
}
