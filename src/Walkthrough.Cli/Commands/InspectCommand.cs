using System.CommandLine;
using Walkthrough.Display;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough inspect [--model DIR] [--json]</c>: the module tree of lesson 3, with shapes, dtypes, devices and counts.</summary>
public static class InspectCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new ModelOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): every module with its type, parameters (shape, dtype, device) and children, no layer folded." };
        var command = new Command("inspect", "Load a model and show its module tree: shapes, dtypes, devices, parameter counts.") { json };
        model.AddTo(command);
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            using var loaded = model.Load(parse, terminal);
            var tree = loaded.Tree();
            if (!parse.GetValue(json))
            {
                terminal.Out.Write(tree.ToString());
                return ExitCodes.Ok;
            }
            Input.WriteJson(terminal, new
            {
                model = loaded.Name,
                architecture = loaded.Config.Architecture,
                parameters = tree.ParameterCount,
                bytes = tree.Bytes,
                dtype = loaded.Dtype.ToString().ToLowerInvariant(),
                int8 = loaded.Int8,
                device = loaded.Device.ToString(),
                root = Node(tree.Root),
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static object Node(ModuleNode node) => new
    {
        name = node.Name,
        type = node.Type,
        parameter_count = node.ParameterCount,
        bytes = node.Bytes,
        parameters = node.Parameters.Select(p => new { name = p.Name, shape = p.Shape, dtype = p.Dtype.ToLowerInvariant(), device = p.Device, count = p.Count, bytes = p.Bytes }),
        children = node.Children.Select(Node),
    };
}
