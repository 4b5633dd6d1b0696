using System.Text.Json;
using Walkthrough.Cli;

namespace Walkthrough.Tests.Cli;

public sealed class TokensCommandTests
{
    [Fact]
    public void Json_gives_each_tokens_piece_text_and_kind()
    {
        var (code, output, error) = CliRunner.RunWithInput("", "tokens", "Can you write an email explaining what an LLM is?", "--json",
            "--tokenizer", RepoPaths.Data("tokenizers", "mistral-7b"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("mistral-7b", json.RootElement.GetProperty("tokenizer").GetString());
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal([1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704, 28755, 349, 28804], tokens.Select(t => t.GetProperty("id").GetInt32()));
        // piece: the vocabulary's spelling (the table's token column); text: the characters it covers (the table's text).
        Assert.Equal("""{"index":0,"id":1,"piece":"<s>","text":"","kind":"special","start":0,"end":0}""", tokens[0].GetRawText());
        Assert.Equal("""{"index":1,"id":2418,"piece":"▁Can","text":"Can","kind":"text","start":0,"end":3}""", tokens[1].GetRawText());
        Assert.Equal(" you", tokens[2].GetProperty("text").GetString());
        JsonSchema.AssertClean(json.RootElement);
    }

    [Fact]
    public void Json_marks_byte_tokens_and_counts_characters_as_a_reader_does()
    {
        var (code, output, _) = CliRunner.Run("tokens", "Tokens 🤗 and 𠀀!", "--json", "--tokenizer", RepoPaths.Data("tokenizers", "mistral-7b"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(15, json.RootElement.GetProperty("characters").GetInt32());
        Assert.Equal(17, json.RootElement.GetProperty("utf16_length").GetInt32());
        var bytes = json.RootElement.GetProperty("tokens").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "byte").ToList();
        Assert.Equal(["<0xF0>", "<0x9F>", "<0xA4>", "<0x97>", "<0xF0>", "<0xA0>", "<0x80>", "<0x80>"], bytes.Select(t => t.GetProperty("piece").GetString()));
        Assert.Equal(["🤗", "🤗", "🤗", "🤗", "𠀀", "𠀀", "𠀀", "𠀀"], bytes.Select(t => t.GetProperty("text").GetString()));
    }

    [Fact]
    public void A_dash_reads_the_text_from_standard_input_and_no_special_drops_bos()
    {
        var (code, output, _) = CliRunner.RunWithInput("Hello world!", "tokens", "-", "--json", "--no-special", "--tokenizer", RepoPaths.Data("tokenizers", "mistral-7b"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal([22557, 1526, 28808], json.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
    }

    [Fact]
    public void The_human_table_shows_ids_and_tokens()
    {
        var (code, output, _) = CliRunner.RunWithInput("", "tokens", "Hello world!", "--tokenizer", "o200k_base");

        Assert.Equal(0, code);
        Assert.Contains("o200k_base: 3 tokens for 12 characters", output);
        Assert.Contains("▁world", output);
    }

    [Fact]
    public void A_missing_tokenizer_folder_is_one_line_on_stderr_and_exit_code_2()
    {
        var (code, output, error) = CliRunner.RunWithInput("", "tokens", "hi", "--tokenizer", "/no/such/folder");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("walkthrough: Tokenizer \"/no/such/folder\" not found", error);
    }

    [Fact]
    public void Bench_tokens_repeats_the_text_up_to_the_size_and_counts_its_tokens()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, "Hello world!");
        try
        {
            // "Hello world!\n\n" is 14 bytes: 8 copies pass 100 bytes.
            var (code, output, error) = CliRunner.RunWithInput("", "bench", "tokens", "--megabytes", "0.0001", "--file", file, "--tokenizer", RepoPaths.Data("tokenizers", "mistral-7b"));

            Assert.Equal(0, code);
            Assert.Equal("", error);
            var expected = Walkthrough.Tokens.Tokenizer.Load(RepoPaths.Data("tokenizers", "mistral-7b")).Encode(string.Concat(Enumerable.Repeat("Hello world!\n\n", 8)), addSpecialTokens: false).Count;
            Assert.Contains($"112 bytes, 112 characters, {expected} tokens", output);
            Assert.Contains("Encode ", output);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("--megabytes", "0", "--megabytes 0")]
    [InlineData("--file", "/no/such/text.txt", "/no/such/text.txt")]
    public void Bench_tokens_refuses_bad_input_in_one_line(string option, string value, string named)
    {
        var (code, _, error) = CliRunner.RunWithInput("", "bench", "tokens", option, value);

        Assert.Equal(2, code);
        Assert.Contains(named, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
