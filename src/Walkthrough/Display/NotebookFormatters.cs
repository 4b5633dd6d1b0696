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
    public const string SvgMimeType = "image/svg+xml";

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
        Both<Pipeline>(p => p.ToHtml(), p => p.ToString());
        Both<TokenTable>(TokenTableHtml.Render, t => t.ToString());
        Both<TokenChips>(c => c.ToHtml(), c => c.ToString());
        Both<TokenizerComparison>(c => c.ToHtml(), c => c.ToString());
        Both<Tokenizer>(t => $"<p>{Html.Encode(t.ToString())}</p>", t => t.ToString());
        Formatter.Register<Figure>((figure, writer) => writer.Write(figure.ToSvg()), SvgMimeType);
        Both<Figure>(f => f.ToHtml(), f => f.ToString(), SvgMimeType);
        Both<Microsoft.Data.Analysis.DataFrame>(DataFrameDisplay.AsHtml, DataFrameDisplay.AsText);
        Both<Inference.NextTokenStep>(StepHtml.Render, s => s.ToString());
        Both<ModuleTree>(t => t.ToHtml(), t => t.ToString());
        Both<Checkpoints.ModelConfig>(ModelConfigHtml.Render, c => c.ToString());
        Both<Checkpoints.LanguageModel>(m => $"<p>{Html.Encode(m.ToString())}</p>", m => m.ToString());
        Both<Doctor>(d => d.ToHtml(), d => d.ToString());
        // Lesson 2: the GPU report and memory plans.
        Both<Hardware.GpuReport>(r => r.ToHtml(), r => r.ToString());
        Both<Hardware.MemoryPlan>(p => p.ToHtml(), p => p.ToString());
        Both<Hardware.MemoryPlanTable>(t => t.ToHtml(), t => t.ToString());
        Both<Hardware.LoadCheck>(c => c.ToHtml(), c => c.ToString());
        Both<Hardware.CudaOutOfMemory>(e => e.ToHtml(), e => e.ToString());
        Both<Hardware.OutOfMemoryReading>(r => r.ToHtml(), r => r.ToString());
        // Lesson 6: inside the model.
        Both<Inside.ForwardTrace>(t => t.ToHtml(), t => t.ToString());
        Both<Inside.LogitLens>(l => l.ToHtml(), l => l.ToString());
        Both<Inside.AttentionMap>(m => m.ToHtml(), m => m.ToString());
        Both<Inside.AttentionLayer>(l => l.ToHtml(), l => l.ToString());
        Both<Inside.TokenVector>(v => v.ToHtml(), v => v.ToString());
        Both<Inside.NearestTokens>(n => n.ToHtml(), n => n.ToString());
        Both<Inside.EmbeddingPca>(p => p.ToHtml(), p => p.ToString());
        Both<Inside.EmbeddingRows>(r => r.ToHtml(), r => r.ToString());
    }

    // HTML for notebooks, plain text for terminals and for comparing runs; the kernel stores every preferred type in
    // the output. A figure adds its SVG, the picture viewers that run no scripts and strip inline markup (GitHub) show.
    private static void Both<T>(Func<T, string> html, Func<T, string> text, params string[] more)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), [HtmlFormatter.MimeType, .. more, PlainTextFormatter.MimeType]);
    }
}
