using System.Text.Json;
using System.Text.Json.Nodes;

namespace Walkthrough.Notebooks;

/// <summary>Between nbformat 4 JSON and the <see cref="Notebook"/> model, field by field as the format names them.</summary>
internal static class NotebookJson
{
    public static Notebook Read(string json, string source)
    {
        JsonElement root;
        try
        {
            root = JupyterJson.Element(json);
        }
        catch (JsonException e)
        {
            throw new WalkthroughException($"{source} is not a notebook: its JSON does not parse ({e.Message}).");
        }
        var context = new Context(source);
        if (root.ValueKind != JsonValueKind.Object)
            throw context.Bad("it is not a JSON object");
        var format = context.Int(root, "nbformat");
        if (format != Notebook.Format)
            throw context.Bad($"it is nbformat {format?.ToString() ?? "(none)"}; save it again from VS Code or Jupyter to get nbformat 4");
        return new Notebook(context.Array(root, "cells").Select(context.Cell).ToList())
        {
            FormatMinor = context.Int(root, "nbformat_minor") ?? 0,
            Metadata = context.Object(root, "metadata"),
        };
    }

    public static JsonObject ToNode(Notebook notebook) => new()
    {
        ["cells"] = new JsonArray(notebook.Cells.Select(Cell).ToArray<JsonNode?>()),
        ["metadata"] = Node(notebook.Metadata),
        ["nbformat"] = Notebook.Format,
        ["nbformat_minor"] = notebook.FormatMinor,
    };

    private static JsonObject Cell(NotebookCell cell)
    {
        var node = new JsonObject
        {
            ["cell_type"] = cell.Kind switch { CellKind.Markdown => "markdown", CellKind.Code => "code", _ => "raw" },
            ["metadata"] = Node(cell.Metadata),
            ["source"] = Lines(cell.Source),
        };
        if (cell.Id is not null) node["id"] = cell.Id;
        if (cell.Attachments is { } attachments) node["attachments"] = Node(attachments);
        if (cell.Kind == CellKind.Code)
        {
            node["execution_count"] = cell.ExecutionCount;
            node["outputs"] = new JsonArray(cell.Outputs.Select(Output).ToArray<JsonNode?>());
        }
        return node;
    }

    private static JsonObject Output(CellOutput output) => output switch
    {
        StreamOutput stream => new JsonObject
        {
            ["name"] = stream.Name,
            ["output_type"] = "stream",
            ["text"] = Lines(stream.Text),
        },
        DisplayOutput display => DisplayNode(display),
        ErrorOutput error => new JsonObject
        {
            ["ename"] = error.Name,
            ["evalue"] = error.Value,
            ["output_type"] = "error",
            ["traceback"] = new JsonArray(error.Traceback.Select(line => (JsonNode?)line).ToArray()),
        },
        _ => throw new ArgumentException($"Unknown output {output.GetType().Name}", nameof(output)),
    };

    private static JsonObject DisplayNode(DisplayOutput display)
    {
        var data = new JsonObject();
        foreach (var (mimeType, value) in display.Data)
            data[mimeType] = IsJson(mimeType) ? JsonNode.Parse(value) : Lines(value);
        var node = new JsonObject
        {
            ["data"] = data,
            ["metadata"] = Node(display.Metadata),
            ["output_type"] = display.IsResult ? "execute_result" : "display_data",
        };
        if (display.IsResult) node["execution_count"] = display.ExecutionCount;
        return node;
    }

    /// <summary>nbformat's "multiline string": a list of lines, each but the last ending in \n.</summary>
    private static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    // application/json and application/*+json values are JSON themselves, not text split into lines.
    private static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>Reading one file: names it in every complaint.</summary>
    private sealed class Context(string source)
    {
        public WalkthroughException Bad(string why) => new($"{source} is not an nbformat 4 notebook: {why}.");

        public NotebookCell Cell(JsonElement cell, int index)
        {
            if (cell.ValueKind != JsonValueKind.Object)
                throw Bad($"cell {index + 1} is not a JSON object");
            var kind = String(cell, "cell_type") switch
            {
                "markdown" => CellKind.Markdown,
                "code" => CellKind.Code,
                "raw" => CellKind.Raw,
                var other => throw Bad($"cell {index + 1} has cell_type \"{other}\""),
            };
            return new NotebookCell(kind, Multiline(cell, "source"))
            {
                Metadata = Object(cell, "metadata"),
                Id = cell.TryGetProperty("id", out var id) ? id.GetString() : null,
                Attachments = cell.TryGetProperty("attachments", out var attachments) ? attachments : null,
                ExecutionCount = kind == CellKind.Code ? Int(cell, "execution_count") : null,
                Outputs = kind == CellKind.Code ? Array(cell, "outputs").Select(Output).ToList() : [],
            };
        }

        private CellOutput Output(JsonElement output, int index) => String(output, "output_type") switch
        {
            "stream" => new StreamOutput(String(output, "name"), Multiline(output, "text")),
            "display_data" => new DisplayOutput(Data(output)) { Metadata = Object(output, "metadata") },
            "execute_result" => new DisplayOutput(Data(output))
            {
                IsResult = true,
                ExecutionCount = Int(output, "execution_count"),
                Metadata = Object(output, "metadata"),
            },
            "error" => new ErrorOutput(String(output, "ename"), String(output, "evalue"),
                Array(output, "traceback").Select((line, _) => line.GetString() ?? "").ToList()),
            var other => throw Bad($"output {index + 1} has output_type \"{other}\""),
        };

        private Dictionary<string, string> Data(JsonElement output)
        {
            var data = new Dictionary<string, string>();
            foreach (var entry in Object(output, "data").EnumerateObject())
                data[entry.Name] = IsJson(entry.Name) ? entry.Value.GetRawText() : Text(entry.Value, entry.Name);
            return data;
        }

        public int? Int(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

        public JsonElement Object(JsonElement obj, string name) =>
            !obj.TryGetProperty(name, out var value) ? JupyterJson.EmptyObject
            : value.ValueKind == JsonValueKind.Object ? value
            : throw Bad($"\"{name}\" is not an object");

        public IEnumerable<JsonElement> Array(JsonElement obj, string name) =>
            !obj.TryGetProperty(name, out var value) ? []
            : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList()
            : throw Bad($"\"{name}\" is not a list");

        private string String(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw Bad($"\"{name}\" is missing or not a string");

        private string Multiline(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) ? Text(value, name) : "";

        private string Text(JsonElement value, string name) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line =>
                line.ValueKind == JsonValueKind.String ? line.GetString() : throw Bad($"\"{name}\" holds a line that is not a string"))),
            _ => throw Bad($"\"{name}\" is neither a string nor a list of lines"),
        };
    }
}
