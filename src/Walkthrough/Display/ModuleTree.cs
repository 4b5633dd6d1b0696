using System.Text;
using TorchSharp;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Display;

/// <summary>One module of a model: its name and type, its own parameters, and its children.</summary>
public sealed record ModuleNode(string Name, string Type, IReadOnlyList<ParameterInfo> Parameters, IReadOnlyList<ModuleNode> Children)
{
    /// <summary>Elements of this module's parameters and all its children's.</summary>
    public long ParameterCount => Parameters.Sum(p => p.Count) + Children.Sum(c => c.ParameterCount);

    public long Bytes => Parameters.Sum(p => p.Bytes) + Children.Sum(c => c.Bytes);
}

/// <summary>A parameter as the tree shows it.</summary>
public sealed record ParameterInfo(string Name, IReadOnlyList<long> Shape, string Dtype, string Device, long Count, long Bytes)
{
    public string ShapeText => "(" + string.Join(", ", Shape) + ")";
}

/// <summary>
/// The module tree of a loaded model — what printing a model shows in PyTorch, with shapes, dtypes, devices and
/// parameter counts. Repeated identical layers (layers.0 … layers.31) are shown once with a count. Modules carry the
/// architecture's own names, as transformers prints them: a Mistral model's layers read MistralDecoderLayer, though
/// the kit builds Mistral (and Qwen2) with its Llama code — they differ only in the attention window (and biases).
/// In a notebook the tree opens down to the layers' parts; click a line to fold or unfold it.
/// </summary>
public sealed class ModuleTree
{
    // Levels open in HTML: the model, its parts, and the repeated layer, whose parts show folded.
    private const int OpenLevels = 3;

    private ModuleTree(string modelName, Architecture architecture, ModuleNode root)
    {
        ModelName = modelName;
        Architecture = architecture;
        Root = root;
    }

    public string ModelName { get; }

    public Architecture Architecture { get; }

    public ModuleNode Root { get; }

    public long ParameterCount => Root.ParameterCount;

    public long Bytes => Root.Bytes;

    internal static ModuleTree Of(string modelName, Architecture architecture, nn.Module module) =>
        new(modelName, architecture, Node("", module, architecture));

    /// <summary>A module's type as a reader should see it: no generic arity (ModuleList, not ModuleList`1), the architecture's own prefix.</summary>
    internal static string TypeName(Type type, Architecture architecture)
    {
        var name = type.Name;
        if (name.IndexOf('`') is var tick and >= 0) name = name[..tick];
        return architecture is Architecture.Mistral or Architecture.Qwen2 && name.StartsWith("Llama", StringComparison.Ordinal)
            ? architecture + name["Llama".Length..]
            : name;
    }

    private static ModuleNode Node(string name, nn.Module module, Architecture architecture) => new(
        name,
        TypeName(module.GetType(), architecture),
        module.named_parameters(recurse: false).Select(p => new ParameterInfo(
            p.name, p.parameter.shape, p.parameter.dtype.ToString(), p.parameter.device.ToString(),
            p.parameter.NumberOfElements, p.parameter.NumberOfElements * p.parameter.ElementSize)).ToList(),
        module.named_children().Select(c => Node(c.name, c.module, architecture)).ToList());

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{ModelName} ({Root.Type}): {ParameterCount:N0} parameters, {Units.Bytes(Bytes)}");
        Write(text, Root, "");
        return text.ToString();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px\">");
        html.Append($"<p style=\"margin:4px 0\"><b>{Html.Encode(ModelName)}</b> <i>{Root.Type}</i>: {ParameterCount:N0} parameters, {Units.Bytes(Bytes)}</p>");
        WriteHtml(html, Root, 0);
        html.Append("</div>");
        return html.ToString();
    }

    private static void Write(StringBuilder text, ModuleNode node, string indent)
    {
        foreach (var p in node.Parameters)
            text.AppendLine($"{indent}{p.Name,-14} {p.ShapeText,-16} {p.Dtype,-9} {p.Device,-6} {p.Count,14:N0}");
        foreach (var (child, repeat) in Grouped(node.Children))
        {
            var label = repeat > 1 ? $"{child.Name}…{int.Parse(child.Name) + repeat - 1} ({repeat} × {child.Type})" : $"{child.Name} ({child.Type})";
            text.AppendLine($"{indent}{label}  {child.ParameterCount * repeat:N0} parameters");
            Write(text, child, indent + "  ");
        }
    }

    private static void WriteHtml(StringBuilder html, ModuleNode node, int depth)
    {
        html.Append("<ul style=\"list-style:none;padding-left:16px;margin:0\">");
        foreach (var p in node.Parameters)
            html.Append($"<li>{Html.Encode(p.Name)} <span style=\"color:#2563eb\">{p.ShapeText}</span> {p.Dtype} {p.Device} · {p.Count:N0}</li>");
        foreach (var (child, repeat) in Grouped(node.Children))
        {
            var label = repeat > 1 ? $"{child.Name}…{int.Parse(child.Name) + repeat - 1} <i>{repeat} × {child.Type}</i>" : $"{child.Name} <i>{child.Type}</i>";
            html.Append($"<li><details{(depth < OpenLevels ? " open" : "")}><summary>{label} · {child.ParameterCount * repeat:N0} parameters · {Units.Bytes(child.Bytes * repeat)}</summary>");
            WriteHtml(html, child, depth + 1);
            html.Append("</details></li>");
        }
        html.Append("</ul>");
    }

    // Consecutive numbered children with the same structure (the decoder layers) collapse into one entry.
    private static IEnumerable<(ModuleNode Node, int Repeat)> Grouped(IReadOnlyList<ModuleNode> children)
    {
        for (var i = 0; i < children.Count;)
        {
            var j = i + 1;
            while (j < children.Count && int.TryParse(children[i].Name, out _) && int.TryParse(children[j].Name, out _) && SameShape(children[i], children[j])) j++;
            yield return (children[i], j - i);
            i = j;
        }
    }

    private static bool SameShape(ModuleNode a, ModuleNode b) =>
        a.Type == b.Type && a.Parameters.Select(p => (p.Name, p.ShapeText, p.Dtype)).SequenceEqual(b.Parameters.Select(p => (p.Name, p.ShapeText, p.Dtype)))
        && a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(pair => pair.First.Name == pair.Second.Name && SameShape(pair.First, pair.Second));
}
