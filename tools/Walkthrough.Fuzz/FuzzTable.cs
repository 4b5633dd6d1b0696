using System.Text;

namespace Walkthrough.Fuzz;

/// <summary>The campaign's summary: per family, how many cases ended each way; then the crashes by type, and the defects.</summary>
internal static class FuzzTable
{
    private static readonly (string Header, Outcome Outcome)[] Columns =
    [
        ("clean refusals", Outcome.CleanRefusal), ("correct loads", Outcome.CorrectLoad), ("crashes", Outcome.Crash),
        ("silently accepted", Outcome.SilentlyAccepted), ("non-finite", Outcome.NonFinite), ("unclear messages", Outcome.UnclearRefusal),
        ("wrongly refused", Outcome.WronglyRefused),
    ];

    public static string Render(IReadOnlyList<CaseResult> results, bool verbose)
    {
        var text = new StringBuilder();
        var families = results.GroupBy(r => r.Family).OrderBy(g => g.Key).ToList();
        var width = Math.Max(24, families.Select(f => f.Key.Name().Length).DefaultIfEmpty(0).Max() + 2);
        text.Append("family".PadRight(width)).Append("cases".PadLeft(7));
        foreach (var (header, _) in Columns) text.Append(header.PadLeft(header.Length + 3));
        text.AppendLine();
        void Row(string name, IEnumerable<CaseResult> rows)
        {
            var list = rows.ToList();
            text.Append(name.PadRight(width)).Append(list.Count.ToString("N0").PadLeft(7));
            foreach (var (header, outcome) in Columns) text.Append(list.Count(r => r.Outcome == outcome).ToString("N0").PadLeft(header.Length + 3));
            text.AppendLine();
        }
        foreach (var family in families) Row(family.Key.Name(), family);
        Row("all", results);

        var crashes = results.Where(r => r.Outcome == Outcome.Crash).GroupBy(r => Kind(r.Detail)).OrderByDescending(g => g.Count()).ToList();
        if (crashes.Count > 0)
        {
            text.AppendLine().AppendLine("crashes by type:");
            foreach (var kind in crashes)
                text.AppendLine($"  {kind.Count(),5} × {kind.Key}   e.g. #{kind.First().Index} {kind.First().Family.Name()}: {Short(kind.First().Description)}");
        }
        var defects = results.Where(r => r.IsDefect).ToList();
        if (defects.Count > 0)
        {
            text.AppendLine().AppendLine(verbose ? "defects:" : "defects (the first five of each kind per family; --verbose lists all):");
            foreach (var group in defects.GroupBy(r => (r.Family, r.Outcome)).OrderBy(g => g.Key.Family).ThenBy(g => g.Key.Outcome))
                foreach (var result in verbose ? group : group.Take(5))
                    text.AppendLine($"  #{result.Index} {result.Family.Name()} [{result.Outcome}] {Short(result.Description)} — {Short(result.Detail, 240)}");
        }
        return text.ToString();
    }

    // "InvalidOperationException: Cannot transcode ..." → the exception type; "process died: SIGABRT (...)" → "process died: SIGABRT".
    private static string Kind(string detail)
    {
        var colon = detail.IndexOf(':');
        if (detail.StartsWith("process died", StringComparison.Ordinal)) return detail.Split(" (")[0];
        return colon > 0 ? detail[..colon] : detail;
    }

    private static string Short(string text, int length = 120) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
