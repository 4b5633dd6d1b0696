using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Walkthrough.Train.Corpus;

// Statistics, samples and rule checks for the corpus: dotnet run --project tools/corpus-preview -- [count] [seed] [samples]
var count = args.Length > 0 ? int.Parse(args[0]) : 60_000;
var seed = args.Length > 1 ? int.Parse(args[1]) : 20240219; // TinyModelRecipe.Seed
var samplesPerFamily = args.Length > 2 ? int.Parse(args[2]) : 10;

var documents = CorpusGenerator.Labeled(seed).Take(count).ToList();
var failures = new List<string>();

Console.WriteLine($"seed {seed}, {count:N0} documents");
Console.WriteLine();
Console.WriteLine($"{"family",-14}{"mix",6}{"documents",11}{"distinct",10}{"dup rate",10}{"chars",13}{"avg chars",11}{"p99 chars",11}{"max chars",11}");
foreach (var (family, perMille) in CorpusGenerator.Mix)
{
    var texts = documents.Where(d => d.Family == family).Select(d => d.Text).ToList();
    var distinct = texts.Distinct(StringComparer.Ordinal).Count();
    var chars = texts.Sum(t => (long)t.Length);
    var lengths = texts.Select(t => t.Length).Order().ToList();
    Console.WriteLine($"{family,-14}{perMille / 10.0,5:0.0}%{texts.Count,11:N0}{distinct,10:N0}{1 - distinct / (double)texts.Count,10:P1}{chars,13:N0}{chars / (double)texts.Count,11:0}{lengths[lengths.Count * 99 / 100],11:N0}{lengths[^1],11:N0}");
}
var allDistinct = documents.Select(d => d.Text).Distinct(StringComparer.Ordinal).Count();
var totalChars = documents.Sum(d => (long)d.Text.Length);
var words = documents.Sum(d => (long)d.Text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length);
Console.WriteLine($"{"all",-14}{"",6}{count,11:N0}{allDistinct,10:N0}{1 - allDistinct / (double)count,10:P1}{totalChars,13:N0}{totalChars / (double)count,11:0}");
Console.WriteLine($"words: {words:N0}; instruct-template documents: {documents.Count(d => d.Text.StartsWith(InstructTemplate.Preamble, StringComparison.Ordinal)):N0}");
Console.WriteLine($"\"{Instructions.SeedEmailInstruction}\" pairs: {documents.Count(d => d.Text.Contains("### Instruction\n" + Instructions.SeedEmailInstruction + "\n", StringComparison.Ordinal)):N0}");
Console.WriteLine($"documents starting \"Monday, Tuesday, Wednesday,\": {documents.Count(d => d.Text.StartsWith("Monday, Tuesday, Wednesday,", StringComparison.Ordinal)):N0}; " +
    $"\"Monday, Tuesday, Wednesday, Thursday\" anywhere: {documents.Sum(d => Regex.Count(d.Text, "Monday, Tuesday, Wednesday, Thursday")):N0}");

// The template pairs by what they ask, from the instruction line; capitals and lists repeat by nature.
Console.WriteLine();
Console.WriteLine($"{"template pairs",-22}{"documents",11}{"distinct",10}{"dup rate",10}");
foreach (var group in documents.Where(d => d.Text.StartsWith(InstructTemplate.Preamble, StringComparison.Ordinal)).GroupBy(PairKind).OrderBy(g => g.Key))
{
    var distinct = group.Select(d => d.Text).Distinct(StringComparer.Ordinal).Count();
    Console.WriteLine($"{group.Key,-22}{group.Count(),11:N0}{distinct,10:N0}{1 - distinct / (double)group.Count(),10:P1}");
}
Console.WriteLine();

// Same seed, same bytes: a second pass must agree, and the hash can be compared across machines.
var again = CorpusGenerator.Generate(seed, count);
if (!again.SequenceEqual(documents.Select(d => d.Text), StringComparer.Ordinal)) failures.Add("a second pass with the same seed differs");
var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\0", again)));
Console.WriteLine($"sha256 of the documents joined by NUL: {Convert.ToHexStringLower(hash)}");

// The template constant and the preamble the documents start with must agree.
if (InstructTemplate.Prompt("x") != InstructTemplate.Preamble + "x\n### Response\n")
    failures.Add("InstructTemplate.Preamble is not the start of the prompt");

string[][] cycles =
[
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
];
foreach (var document in documents)
{
    var text = document.Text;
    void Fail(string rule)
    {
        if (failures.Count < 40) failures.Add($"#{document.Index} ({document.Family}) {rule}: {text.Replace("\n", "\\n")}");
    }
    if (text.Length == 0 || text != text.Trim()) Fail("empty, or space at an end");
    if (text.Any(c => c != '\n' && (c < ' ' || c > '~'))) Fail("a character outside printable ASCII");
    if (text.Contains("  ", StringComparison.Ordinal) || text.Contains(" \n", StringComparison.Ordinal) || text.Contains("\n\n\n", StringComparison.Ordinal)) Fail("double space, trailing space or two blank lines");
    if (text.Contains("..", StringComparison.Ordinal) || text.Contains(" ,", StringComparison.Ordinal) || text.Replace(" .NET", "", StringComparison.Ordinal).Contains(" .", StringComparison.Ordinal) || text.Contains("[", StringComparison.Ordinal) || text.Contains("{", StringComparison.Ordinal)) Fail("stray punctuation or an unexpanded phrase");
    if (text.Contains("### Instruction", StringComparison.Ordinal) &&
        (!text.StartsWith(InstructTemplate.Preamble, StringComparison.Ordinal) || Regex.Count(text, "\n### Response\n") != 1 || text.EndsWith('\n')))
        Fail("instruct document not in the template");
    // A comma after a day (or month) is followed by the next one: "Wednesday," has one continuation.
    foreach (var cycle in cycles)
        for (var i = 0; i < cycle.Length; i++)
            foreach (Match match in Regex.Matches(text, cycle[i] + ","))
            {
                var rest = text[(match.Index + match.Length)..];
                if (!rest.StartsWith(" " + cycle[(i + 1) % cycle.Length], StringComparison.Ordinal) && !rest.StartsWith("\n### Response\n", StringComparison.Ordinal))
                    Fail($"\"{cycle[i]},\" not followed by \" {cycle[(i + 1) % cycle.Length]}\"");
            }
}

var sampler = new CorpusRandom(7);
foreach (var (family, _) in CorpusGenerator.Mix)
{
    var texts = documents.Where(d => d.Family == family).ToList();
    Console.WriteLine();
    Console.WriteLine($"=============== {family}: {samplesPerFamily} samples ===============");
    foreach (var sample in sampler.Sample(texts, samplesPerFamily))
    {
        Console.WriteLine($"--- #{sample.Index}");
        Console.WriteLine(sample.Text);
    }
}

Console.WriteLine();
if (failures.Count == 0)
{
    Console.WriteLine("checks: all passed");
    return 0;
}
Console.WriteLine($"checks: {failures.Count} failed");
foreach (var failure in failures) Console.WriteLine("  " + failure);
return 1;

static string PairKind(CorpusDocument document)
{
    var instruction = document.Text[InstructTemplate.Preamble.Length..document.Text.IndexOf("\n### Response\n", StringComparison.Ordinal)];
    if (document.Family == CorpusFamily.Flights) return "flights";
    if (instruction.Contains("email", StringComparison.Ordinal) || instruction.Contains("e-mail", StringComparison.Ordinal)) return "e-mails";
    if (instruction.Contains("capital", StringComparison.Ordinal)) return "capitals";
    if (instruction.StartsWith("Continue", StringComparison.Ordinal) || instruction.StartsWith("What comes next", StringComparison.Ordinal)) return "sequences: continue";
    if (Regex.IsMatch(instruction, "^(List|Name|Write down|Write out|Count)|comes (after|before)")) return "sequences: list, next";
    return "explanations";
}
