using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Walkthrough.Tokens;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough bench tokens [--tokenizer NAME] [--megabytes 1] [--file TEXT]</c>: how fast a tokenizer turns a
/// megabyte of text into ids, and into the token table with spans that lesson 1 shows.
/// </summary>
public static class TokenBenchCommand
{
    private const int Runs = 3;

    public static Command Create(Terminal terminal)
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "A model folder, or o200k_base / cl100k_base. Default: data/tokenizers/mistral-7b." };
        var megabytes = new Option<double>("--megabytes") { Description = "How much text (UTF-8).", DefaultValueFactory = _ => 1 };
        var file = new Option<string>("--file") { Description = "Text to repeat up to that size. Default: the kit's own prose (data/**/*.md)." };
        var command = new Command("tokens", "Measure how fast a tokenizer encodes a megabyte of text.") { tokenizer, megabytes, file };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var size = parse.GetValue(megabytes);
            if (size is <= 0 or > 100) throw new WalkthroughException($"--megabytes {size}: give a size between 0 and 100.");
            var loaded = parse.GetValue(tokenizer) is { } source ? Tokenizer.Load(source) : Tokenizer.Default();
            var text = Text(parse.GetValue(file), (int)(size * 1_000_000));

            var ids = 0;
            var encode = Best(() => ids = loaded.Encode(text, addSpecialTokens: false).Count);
            var table = Best(() => loaded.Tokenize(text, addSpecialTokens: false));
            var bytes = Encoding.UTF8.GetByteCount(text);

            terminal.Out.WriteLine($"tokenizer      {loaded.Name}");
            terminal.Out.WriteLine($"text           {bytes:N0} bytes, {text.Length:N0} characters, {ids:N0} tokens ({text.Length / (double)ids:0.00} characters a token)");
            terminal.Out.WriteLine($"Encode         {encode.TotalMilliseconds,8:0} ms   {bytes / 1e6 / encode.TotalSeconds,6:0.0} MB/s   ids only");
            terminal.Out.WriteLine($"Tokenize       {table.TotalMilliseconds,8:0} ms   {bytes / 1e6 / table.TotalSeconds,6:0.0} MB/s   the token table: ids, pieces, spans");
            terminal.Out.WriteLine($"(best of {Runs} runs after a warm-up)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The first call pays for JIT and caches; the best of the following runs is the least disturbed by the machine.
    private static TimeSpan Best(Action run)
    {
        run();
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }

    // Ordinary prose, code and numbers rather than one sentence repeated: a tokenizer's caches would flatter that.
    private static string Text(string? file, int bytes)
    {
        string sample;
        if (file is not null)
        {
            if (!File.Exists(file)) throw new WalkthroughException($"--file {file}: no such file.");
            sample = File.ReadAllText(file);
        }
        else sample = string.Join("\n\n", Directory.GetFiles(KitData.Root, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        if (sample.Length == 0) throw new WalkthroughException($"--file {file}: the file is empty; give a text to repeat.");

        var copies = (int)Math.Ceiling(bytes / (double)Encoding.UTF8.GetByteCount(sample + "\n\n"));
        return string.Concat(Enumerable.Repeat(sample + "\n\n", copies));
    }
}
