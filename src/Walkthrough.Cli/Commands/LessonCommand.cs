using System.CommandLine;
using Spectre.Console;
using Walkthrough.Notebooks;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough lesson 01 [--step] [--html FILE]</c>: a lesson without any notebook kernel — in the terminal cell by
/// cell, or as one standalone HTML page.
/// </summary>
public static class LessonCommand
{
    public static Command Create(Terminal terminal)
    {
        var id = new Argument<string>("lesson") { Description = "The lesson's number (01) or name (tokens)." };
        var step = new Option<bool>("--step") { Description = "Wait for Enter before each cell." };
        var html = new Option<string>("--html") { Description = "Run the whole lesson and write it, with its outputs, to this HTML file." };
        var app = new Option<string>("--app") { Description = "Write the lesson as a .NET 10 file-based app (lessons/NN-name.cs)." };
        var command = new Command("lesson", "Run a lesson in the terminal, or write it as an HTML page or a file-based app, without a notebook kernel.") { id, step, html, app };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var path = Lessons.Find(parse.GetValue(id)!);
            try
            {
                if (parse.GetValue(html) is { } file) return WriteHtml(terminal, path, file);
                if (parse.GetValue(app) is { } source)
                {
                    File.WriteAllText(source, LessonApp.Render(Notebook.Load(path), Path.GetFileName(path)));
                    terminal.Error.WriteLine($"wrote {source}: dotnet run {source}");
                    return ExitCodes.Ok;
                }
                return Walk(terminal, path, parse.GetValue(step));
            }
            catch (NotebookException e)
            {
                throw new WalkthroughException(e.Message, e);
            }
        }));
        return command;
    }

    private static int WriteHtml(Terminal terminal, string path, string file)
    {
        var run = NotebookRunner.RunAsync(path).GetAwaiter().GetResult();
        File.WriteAllText(file, LessonPage.Render(run.Notebook, Path.GetFileNameWithoutExtension(path)));
        terminal.Error.WriteLine($"wrote {file} ({run.CodeCellsRun.Count} code cells run in {run.CodeCellsRun.Sum(c => c.Elapsed.TotalSeconds):0.0} s)");
        return ExitCodes.Ok;
    }

    private static int Walk(Terminal terminal, string path, bool step)
    {
        var console = terminal.Ansi();
        var run = NotebookRunner.Start(path);
        console.Write(new Rule($"[bold]{Markup.Escape(Path.GetFileNameWithoutExtension(path))}[/]"));
        while (run.Next is { } cell)
        {
            if (cell.Kind == CellKind.Code)
            {
                console.Write(new Panel(Markup.Escape(cell.Source)).Header("code").Border(BoxBorder.Rounded));
                if (step)
                {
                    terminal.Out.Write("(Enter runs the cell) ");
                    terminal.Out.Flush();
                    if (terminal.In.ReadLine() is null) return ExitCodes.Ok;
                }
            }
            var done = run.ExecuteNextAsync().GetAwaiter().GetResult()!;
            if (done.Cell.Kind == CellKind.Markdown) terminal.Out.WriteLine(TerminalProse.Render(done.Cell.Source));
            foreach (var output in done.Cell.Outputs) terminal.Out.WriteLine(Text(output));
        }
        return ExitCodes.Ok;
    }

    private static string Text(CellOutput output) => output switch
    {
        StreamOutput stream => stream.Text.TrimEnd(),
        DisplayOutput display when display.Data.TryGetValue("text/plain", out var text) => text.TrimEnd(),
        DisplayOutput display when display.Data.TryGetValue("text/html", out var html) => HtmlText.Of(html).TrimEnd(),
        ErrorOutput error => $"{error.Name}: {error.Value}",
        _ => "",
    };
}
