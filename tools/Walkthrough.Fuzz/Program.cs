using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Walkthrough.Fuzz;

/// <summary>
/// <c>dotnet run --project tools/Walkthrough.Fuzz -c Release -- --cases 5000 --seed 1</c>: feeds the kit damaged model
/// folders, family by family, and prints how every case ended. Options: --family NAME (repeatable: config,
/// safetensors, shards, tokenizer, tokenizerconfig, sentencepiece, cli), --base mini|tiny, --jobs N, --timeout
/// SECONDS, --verbose, --results FILE.jsonl, --traces FOLDER (each crash's stack trace), --only INDEX (repeatable). Exit code 1 when any case ended in a defect.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            if (args.Contains("--worker"))
                return Worker.Run(int.Parse(Value(args, "--seed") ?? "1"), Value(args, "--base") ?? "mini",
                    long.Parse(Value(args, "--memory-limit") ?? (4L << 30).ToString()), Value(args, "--traces"));
            var options = Parse(args);
            var clock = Stopwatch.StartNew();
            var done = 0;
            var results = new Supervisor(options).Run(result =>
            {
                if (Interlocked.Increment(ref done) % 100 == 0) Console.Error.WriteLine($"{done:N0} of {options.Cases:N0} cases, {clock.Elapsed.TotalMinutes:0.0} min");
            });
            if (options.ResultsFile is { } file) File.WriteAllLines(file, results.Select(r => JsonSerializer.Serialize(r)));
            Console.WriteLine($"walkthrough fuzz: {results.Count:N0} cases, seed {options.Seed}, base {options.Base}, {clock.Elapsed.TotalMinutes:0.0} min");
            Console.WriteLine();
            Console.Write(FuzzTable.Render(results, options.Verbose));
            return results.Any(r => r.IsDefect) ? 1 : 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"walkthrough-fuzz: {e.Message}");
            return 2;
        }
    }

    private static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions();
        var families = new List<Family>();
        var only = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--cases" => options with { Cases = Positive(Next(), "--cases") },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--base" => options with { Base = Next() },
                "--jobs" => options with { Jobs = Positive(Next(), "--jobs") },
                "--timeout" => options with { CaseTimeout = TimeSpan.FromSeconds(Positive(Next(), "--timeout")) },
                "--verbose" => options with { Verbose = true },
                "--results" => options with { ResultsFile = Next() },
                "--traces" => options with { TracesFolder = Path.GetFullPath(Next()) },
                "--family" => Add(options, families, FamilyNames.Parse(Next())),
                "--only" => Add(options, only, Positive(Next(), "--only", allowZero: true)),
                _ => throw new ArgumentException($"Unknown option {args[i]}: see tools/Walkthrough.Fuzz/Program.cs for the options."),
            };
        }
        return options with { Families = families.Count > 0 ? families : FamilyNames.All, Only = only.Count > 0 ? only : null };
    }

    private static FuzzOptions Add<T>(FuzzOptions options, List<T> list, T item)
    {
        list.Add(item);
        return options;
    }

    private static int Positive(string text, string option, bool allowZero = false) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && (value > 0 || allowZero && value == 0)
            ? value : throw new ArgumentException($"{option} {text}: give a whole number{(allowZero ? "" : " above 0")}.");

    private static string? Value(string[] args, string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
