using System.CommandLine;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough inspect [--model DIR]</c>: the module tree of lesson 3, with shapes, dtypes, devices and counts.</summary>
public static class InspectCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new ModelOptions();
        var command = new Command("inspect", "Load a model and show its module tree: shapes, dtypes, devices, parameter counts.");
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            using var loaded = model.Load(parse, terminal);
            terminal.Out.Write(loaded.Tree().ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
