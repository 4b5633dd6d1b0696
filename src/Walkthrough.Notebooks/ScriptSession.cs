using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace Walkthrough.Notebooks;

/// <summary>
/// The C# side of a run, as in the kernel: each cell is a Roslyn script submission that continues the one before,
/// so usings, variables and functions carry from cell to cell.
/// </summary>
internal sealed class ScriptSession
{
    // The kit's packages (what a lesson's first cell asks the kernel for) and the kernel's default usings.
    private static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(
            typeof(KitData).Assembly,
            typeof(torch).Assembly,
            typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly,
            typeof(DataFrame).Assembly,
            typeof(Formatter).Assembly)
        .AddImports("System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks");

    private readonly NotebookGlobals globals = new();
    private ScriptState<object>? state;

    /// <summary>
    /// Runs one cell's C# with its outputs going to <paramref name="recorder"/>. Throws what the cell threw, or
    /// <see cref="CompilationErrorException"/>; then the session stays where it was.
    /// </summary>
    public async Task RunAsync(string code, int executionCount, OutputRecorder recorder, CancellationToken cancellationToken)
    {
        var script = state is null
            ? CSharpScript.Create(code, Options, typeof(NotebookGlobals))
            : state.Script.ContinueWith(code, Options);
        globals.Recorder = recorder;
        try
        {
            state = state is null
                ? await script.RunAsync(globals, cancellationToken)
                : await script.RunFromAsync(state, cancellationToken);
        }
        finally
        {
            globals.Recorder = null;
        }
        if (EndsWithValue(script))
            recorder.Add(new DisplayOutput(DisplayFormatting.Render(state.ReturnValue, []))
            {
                IsResult = true,
                ExecutionCount = executionCount,
            });
    }

    /// <summary>
    /// True when the cell's last line is an expression with a value and no semicolon (<c>table</c>): Roslyn returns
    /// it as the submission's value, and the kernel shows it, null included. <c>table;</c> does not compile (CS0201),
    /// and <c>Show(table);</c> or a void call without semicolon has no value.
    /// </summary>
    private static bool EndsWithValue(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        return tree.GetRoot() is CompilationUnitSyntax { Members: [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax last }] }
            && last.SemicolonToken.IsMissing
            && compilation.GetSemanticModel(tree).GetTypeInfo(last.Expression).Type is { SpecialType: not SpecialType.System_Void };
    }
}
