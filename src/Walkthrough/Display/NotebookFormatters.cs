using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using Walkthrough.Tokens;

namespace Walkthrough.Display;

/// <summary>
/// Teaches the notebook kernel (and the kit's headless runner, which uses the same formatting package) how the
/// kit's values look, so a cell can end with the value itself: <c>tokenizer.Tokenize(prompt)</c>.
/// </summary>
public static class NotebookFormatters
{
    private static int _registered;

    /// <summary>Runs when the library loads; safe to call again.</summary>
#pragma warning disable CA2255 // A module initializer is how a library loaded into a notebook kernel registers its formatters.
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        try
        {
            RegisterAll();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException)
        {
            // No formatting package beside the library: there is no notebook to format for, and the rest of the
            // library must stay usable.
        }
    }

    private static void RegisterAll()
    {
        Formatter.Register<TokenTable>((table, writer) => writer.Write(TokenTableHtml.Render(table)), HtmlFormatter.MimeType);
        Formatter.Register<TokenChips>((chips, writer) => writer.Write(chips.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<TokenizerComparison>((comparison, writer) => writer.Write(comparison.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Figure>((figure, writer) => writer.Write(figure.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Microsoft.Data.Analysis.DataFrame>((frame, writer) => writer.Write(DataFrameHtml.Render(frame)), HtmlFormatter.MimeType);
        Formatter.Register<Inference.NextTokenStep>((step, writer) => writer.Write(StepHtml.Render(step)), HtmlFormatter.MimeType);
        Formatter.Register<ModuleTree>((tree, writer) => writer.Write(tree.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<TokenTable>((table, writer) => writer.Write(table.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<TokenChips>((chips, writer) => writer.Write(chips.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<TokenizerComparison>((comparison, writer) => writer.Write(comparison.ToString()), PlainTextFormatter.MimeType);
        RegisterHardware();
    }

    // Hardware: the GPU report and memory plans of lesson 2.
    private static void RegisterHardware()
    {
        Formatter.Register<Hardware.GpuReport>((report, writer) => writer.Write(report.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Hardware.MemoryPlan>((plan, writer) => writer.Write(plan.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Hardware.MemoryPlanTable>((table, writer) => writer.Write(table.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Hardware.LoadCheck>((check, writer) => writer.Write(check.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Hardware.GpuReport>((report, writer) => writer.Write(report.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Hardware.MemoryPlan>((plan, writer) => writer.Write(plan.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Hardware.MemoryPlanTable>((table, writer) => writer.Write(table.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Hardware.LoadCheck>((check, writer) => writer.Write(check.ToString()), PlainTextFormatter.MimeType);
    }
}
