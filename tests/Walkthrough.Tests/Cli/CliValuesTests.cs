namespace Walkthrough.Tests.Cli;

/// <summary>
/// Every numeric option of every command, given a value that cannot be meant: one line on standard error that names
/// the value and what to give instead, nothing on standard output, exit code 2.
/// </summary>
public sealed class CliValuesTests
{
    public static TheoryData<string[], string> BadValues() => new()
    {
        { ["next", "Hi", "--temperature", "-1"], "walkthrough: temperature -1 is negative: use 0 for greedy decoding, or a positive value such as 0.7 to sample." },
        { ["next", "Hi", "--temperature", "warm"], "walkthrough: --temperature warm is not a number: give one such as 0.7 (with a dot for decimals)." },
        { ["next", "Hi", "--top", "-3"], "walkthrough: --top -3: show at least 1 candidate (10 is the default)." },
        { ["next", "Hi", "--top", "0"], "walkthrough: --top 0: show at least 1 candidate (10 is the default)." },
        { ["next", "Hi", "--top", "100000"], "walkthrough: --top 100,000 is more than the 32,000 tokens walkthrough-tiny knows." },
        { ["next", "Hi", "--steps", "abc"], "walkthrough: --steps abc is not a whole number: give one such as 1." },
        { ["next", "Hi", "--steps", "0"], "walkthrough: --steps 0: ask for at least 1 step." },
        { ["next", "Hi", "--steps", "100000"], "walkthrough: --steps 100,000 is more than fits: walkthrough-tiny reads 512 tokens and the prompt takes 2, leaving room for 510." },
        { ["next", "Hi", "--top-k", "-1"], "walkthrough: top-k -1 is negative: use 0 (no limit) or a positive number of tokens." },
        { ["next", "Hi", "--top-p", "0"], "walkthrough: top-p 0 is outside (0, 1]: use e.g. 0.9, or 1 for no limit." },
        { ["next", "Hi", "--min-p", "1"], "walkthrough: min-p 1 is outside [0, 1): use e.g. 0.05, or 0 for no limit." },
        { ["next", "Hi", "--repetition-penalty", "0"], "walkthrough: repetition penalty 0 must be positive: 1 is off, 1.1–1.3 is typical." },
        { ["next", "Hi", "--seed", "-1"], "walkthrough: --seed -1 is not a whole number of 0 or more: give one such as 42." },
        { ["generate", ""], "walkthrough: The instruction is empty: ask the model something, e.g. \"List the days of the week.\"" },
        { ["generate", "   "], "walkthrough: The instruction is empty: ask the model something, e.g. \"List the days of the week.\"" },
        { ["generate", "Hi", "--max-new-tokens", "0"], "walkthrough: max new tokens is 0: ask for at least 1." },
        { ["generate", "Hi", "--max-new-tokens", "100000000"], "walkthrough: max new tokens 100,000,000 is more than walkthrough-tiny can ever write: its context holds 512 tokens, prompt and answer together. Ask for fewer; generation also stops when the context is full." },
        { ["generate", "Hi", "--max-new-tokens", "lots"], "walkthrough: --max-new-tokens lots is not a whole number: give one such as 200." },
        { ["walk", "--steps", "abc"], "walkthrough: --steps abc is not a whole number: give one such as 3." },
        { ["walk", "--steps", "0"], "walkthrough: --steps 0: show between 1 and 50 steps in detail." },
        { ["plan", "data/configs/gpt2", "--context", "0"], "walkthrough: The context must be at least 1 token (got 0)." },
        { ["plan", "data/configs/gpt2", "--context", "1k"], "walkthrough: --context 1k is not a whole number: give one such as 3." },
        { ["plan", "data/configs/gpt2", "--batch", "0"], "walkthrough: The batch must be between 1 and 4096 sequences (got 0)." },
        { ["plan", "data/configs/gpt2", "--gpu", "-5GB"], "walkthrough: GPU memory \"-5GB\" must be more than zero bytes." },
        { ["bench", "--new-tokens", "many"], "walkthrough: --new-tokens many is not a whole number: give one such as 64." },
        { ["bench", "tokens", "--megabytes", "one"], "walkthrough: --megabytes one is not a number: give one such as 1 (with a dot for decimals)." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_value_out_of_range_ends_in_one_line_and_exit_code_2(string[] args, string line)
    {
        var (code, output, error) = CliRunner.Run([.. args.Select(a => a.StartsWith("data/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Root, a) : a)]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(line, error.Split('\n').Single(l => l.StartsWith("walkthrough:", StringComparison.Ordinal)));
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("--help", error);
    }
}
