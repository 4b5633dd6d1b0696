using System.Text.RegularExpressions;
using Walkthrough.Cli;

namespace Walkthrough.Fuzz;

/// <summary>Makes a case's folder, runs it the way the CLI would, and says how it ended.</summary>
/// <param name="traces">Where to write each crash's whole exception, or null.</param>
internal sealed partial class CaseRunner(BaseModel model, string scratch, string? traces = null)
{
    private readonly Dictionary<Layout, Observation> _references = [];

    /// <summary>Words a message that says what to do contains (download it again, check config.json, use ..., set ...).</summary>
    [GeneratedRegex(@"\b(download|re-download|check|name|fix|use|give|set|unset|write|remove|delete|export|choose|install|free|try|shorten|run|make|rename|keep|leave|add|edit|correct|replace|start|save|convert|pass|put|report|point|truncate|lower|raise|pick|drop|ask|get|load|restore|list)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Advice();

    public CaseResult Run(CaseId id, FuzzCase fuzz)
    {
        // The same folder name as the pristine run's: the model is named after its folder.
        var folder = Path.Combine(scratch, "case", "model");
        var layout = LayoutOf(id.Family);
        model.WriteTo(folder, layout);
        fuzz.Apply(folder);
        var (outcome, detail) = fuzz.Arguments is { } arguments ? RunCli(fuzz, arguments, folder) : RunLibrary(fuzz, folder, layout, id.Index);
        return new CaseResult(id.Index, id.Family, fuzz.Description, fuzz.Judgement.Expect, outcome, detail);
    }

    public static Layout LayoutOf(Family family) => family switch
    {
        Family.Shards => Layout.Sharded,
        Family.SentencePiece => Layout.SentencePiece,
        _ => Layout.Single,
    };

    private (Outcome, string) RunLibrary(FuzzCase fuzz, string folder, Layout layout, int index)
    {
        Observation observed;
        try
        {
            observed = Pipeline.Run(folder, layout);
        }
        catch (WalkthroughException e)
        {
            return Refused(fuzz, e.Message);
        }
        catch (Exception e)
        {
            if (traces is not null)
            {
                Directory.CreateDirectory(traces);
                File.WriteAllText(Path.Combine(traces, $"case-{index}.txt"), $"{fuzz.Description}\n\n{e}\n");
            }
            return (Outcome.Crash, $"{e.GetType().Name}: {FirstLine(e.Message)}{Where(e)}");
        }
        if (!observed.Finite) return (Outcome.NonFinite, "loaded, and the logits or probabilities hold NaN or ∞");
        if (!observed.PlanSane) return (Outcome.SilentlyAccepted, "the memory plan's counts overflowed below zero");
        var expect = fuzz.Judgement.Expect;
        if (expect == Expect.Refuse) return (Outcome.SilentlyAccepted, $"loaded although {fuzz.Judgement.Why}");
        if (expect is Expect.Load or Expect.RefuseOrSame && observed.DifferenceFrom(Reference(layout)) is { } difference)
            return (Outcome.SilentlyAccepted, $"loaded, but {difference} ({fuzz.Judgement.Why})");
        return (Outcome.CorrectLoad, "loaded");
    }

    private static (Outcome, string) RunCli(FuzzCase fuzz, IReadOnlyList<string> arguments, string folder)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code;
        try
        {
            code = Walkthrough.Cli.Program.Run([.. arguments.Select(a => a.Replace("{folder}", folder))], new Terminal(output, error, new StringReader("")));
        }
        catch (Exception e)
        {
            return (Outcome.Crash, $"{e.GetType().Name}: {FirstLine(e.Message)}");
        }
        var message = error.ToString().Trim();
        if (message.Contains("this is a bug in the kit", StringComparison.Ordinal)) return (Outcome.Crash, FirstLine(message));
        return code switch
        {
            2 => Refused(fuzz, message.StartsWith("walkthrough: ", StringComparison.Ordinal) ? message["walkthrough: ".Length..] : message),
            0 when fuzz.Judgement.Expect == Expect.Refuse => (Outcome.SilentlyAccepted, $"exit code 0 although {fuzz.Judgement.Why}"),
            0 => (Outcome.CorrectLoad, "exit code 0"),
            _ => (Outcome.Crash, $"exit code {code}: {FirstLine(message)}"),
        };
    }

    private static (Outcome, string) Refused(FuzzCase fuzz, string message)
    {
        if (fuzz.Judgement.Expect == Expect.Load) return (Outcome.WronglyRefused, message);
        return Unclear(fuzz, message) is { } why ? (Outcome.UnclearRefusal, $"{why}: {message}") : (Outcome.CleanRefusal, message);
    }

    /// <summary>What a refusal's message lacks, or null when it is one line naming the file (and the key) and what to do.</summary>
    private static string? Unclear(FuzzCase fuzz, string message)
    {
        if (message.Contains('\n')) return "more than one line";
        if (!Advice().IsMatch(message)) return "says nothing to do";
        if (fuzz.Judgement.Expect != Expect.Refuse) return null;  // a valid value refused for its own reason (a prompt too long for it)
        if (!fuzz.Files.Any(f => message.Contains(f, StringComparison.OrdinalIgnoreCase)))
            return $"names none of {string.Join(", ", fuzz.Files)}";
        var mentions = fuzz.Judgement.Mentions.Where(m => m.Length > 0).ToList();
        if (mentions.Count > 0 && !mentions.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase)))
            return $"names none of {string.Join(", ", mentions.Select(m => $"\"{m}\""))}";
        return null;
    }

    private Observation Reference(Layout layout)
    {
        if (_references.TryGetValue(layout, out var reference)) return reference;
        var folder = Path.Combine(scratch, "pristine", "model");
        model.WriteTo(folder, layout);
        return _references[layout] = Pipeline.Run(folder, layout);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    // The kit's own frame nearest the throw: where the reader that should have refused the input is.
    private static string Where(Exception e) =>
        e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Walkthrough.", StringComparison.Ordinal) && !l.StartsWith("at Walkthrough.Fuzz.", StringComparison.Ordinal)) is { } frame
            ? $" ({frame.Split(" in ")[0]})" : "";
}
