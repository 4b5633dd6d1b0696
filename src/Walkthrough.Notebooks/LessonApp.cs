using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Walkthrough.Notebooks;

/// <summary>
/// A lesson as a .NET 10 file-based app (<c>dotnet run lessons/01-tokens.cs</c>) — the way Microsoft points C#
/// notebook users after the kernel's deprecation. Made from the notebook, never edited by hand: the markdown is printed
/// as the app runs (as terminal text, <see cref="TerminalProse"/>), the first cell's packages become <c>#:</c>
/// directives, usings move to the top (C# wants them there), and a cell's final value is printed as the notebook would
/// show it in text.
/// </summary>
public static class LessonApp
{
    private static readonly CSharpParseOptions Script = new(kind: SourceCodeKind.Script);

    public static string Render(Notebook notebook, string notebookName)
    {
        var directives = new List<string>();
        var usings = new List<string>();
        var body = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == CellKind.Markdown)
            {
                body.AppendLine().Append("Console.WriteLine(").Append(RawString(TerminalProse.Render(cell.Source))).AppendLine(");");
                continue;
            }
            if (cell.Kind != CellKind.Code) continue;
            var code = new List<string>();
            foreach (var line in cell.Source.TrimEnd().Split('\n'))
            {
                var trimmed = line.Trim();
                if (Package(trimmed) is { } package) { if (package.Length > 0) directives.Add(package); }
                else if (trimmed.StartsWith("#i ", StringComparison.Ordinal) || trimmed.StartsWith("#!", StringComparison.Ordinal)) continue;
                else if (trimmed.StartsWith("using ", StringComparison.Ordinal) && trimmed.EndsWith(';') && !trimmed.Contains('(')) { if (!usings.Contains(trimmed)) usings.Add(trimmed); }
                else code.Add(line);
            }
            body.AppendLine().Append(ShowFinalValue(string.Join('\n', code).Trim('\n'))).AppendLine();
        }
        return $"""
            // {notebookName} as a .NET 10 file-based app: dotnet run lessons/{Path.GetFileNameWithoutExtension(notebookName)}.cs
            // Generated from notebooks/{notebookName} (walkthrough lesson … --app); edit the notebook, then regenerate.
            {string.Join('\n', directives)}
            #:project ../src/Walkthrough/Walkthrough.csproj

            {string.Join('\n', usings)}
            {body}
            // A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
            static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));
            {(body.ToString().Contains("display(", StringComparison.Ordinal) ? "\nstatic void display(object? value) => Show(value);\n" : "")}
            """.Replace("\r\n", "\n");
    }

    // A raw string literal holding the text as is: more quotes around it than any run of quotes inside, its lines
    // indented under the opening line, and an empty line first and last so the prose stands apart from the outputs.
    private static string RawString(string text)
    {
        var longestRun = 0;
        for (int i = 0, run = 0; i < text.Length; i++) longestRun = Math.Max(longestRun, run = text[i] == '"' ? run + 1 : 0);
        var quotes = new string('"', Math.Max(3, longestRun + 1));
        var lines = text.TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? "" : "    " + line);
        return $"{quotes}\n\n{string.Join('\n', lines)}\n\n    {quotes}";
    }

    // The app lives in the repository, so its packages come from Directory.Packages.props (central versions, no
    // version here): the kit by #:project, libtorch by the repository's own switches (Directory.Build.targets).
    private static string? Package(string line)
    {
        if (!line.StartsWith("#r \"nuget:", StringComparison.Ordinal)) return null;
        var name = line["#r \"nuget:".Length..].TrimEnd('"').Split(',', StringSplitOptions.TrimEntries)[0];
        return name switch
        {
            "Walkthrough" => "",
            "TorchSharp-cpu" or "TorchSharp-cuda-linux" or "TorchSharp-cuda-windows" =>
                "#:property UsesLibTorch=true\n// On an NVIDIA GPU, set the next line to true: it swaps the CPU build of libtorch for the CUDA one.\n#:property WalkthroughCuda=false",
            _ => $"#:package {name}",
        };
    }

    // A final expression without a semicolon is the cell's value: the kernel shows it, the app prints it.
    private static string ShowFinalValue(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        if (root is not CompilationUnitSyntax { Members: [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax last }] }
            || !last.SemicolonToken.IsMissing) return code;
        var start = last.SpanStart;
        return code[..start] + $"Show({code[start..].TrimEnd()});";
    }
}
