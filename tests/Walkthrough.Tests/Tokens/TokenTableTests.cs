using Walkthrough.Display;
using Walkthrough.Tokens;

namespace Walkthrough.Tests.Tokens;

public sealed class TokenTableTests
{
    private const string SeedPrompt = "Can you write an email explaining what an LLM is?";

    private static Tokenizer Mistral => ReferenceTokenizers.Get("mistral-7b");

    [Fact]
    public void Mistral_seed_prompt_gives_the_seed_notebooks_table()
    {
        // The token table of ../shared/seeds/001 (Hugging Face's Mistral-7B tokenizer), ▁ marking a leading space.
        var table = Mistral.Tokenize(SeedPrompt);

        Assert.Equal([1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704, 28755, 349, 28804], table.Ids);
        Assert.Equal(["<s>", "▁Can", "▁you", "▁write", "▁an", "▁email", "▁explaining", "▁what", "▁an", "▁LL", "M", "▁is", "?"],
            table.Select(t => t.Text));
        Assert.Equal(TokenKind.Special, table[0].Kind);
        Assert.Equal((0, 0), (table[0].Start, table[0].End));
        Assert.Equal("LL", SeedPrompt[table[9].Start..table[9].End].Trim());
        Assert.Equal(" explaining", SeedPrompt[table[6].Start..table[6].End]);
    }

    [Fact]
    public void Empty_text_gives_an_empty_table()
    {
        Assert.Empty(Mistral.Tokenize(""));
        Assert.Empty(Mistral.Tokenize("", addSpecialTokens: false));
    }

    [Fact]
    public void A_character_missing_from_the_vocabulary_becomes_its_utf8_bytes()
    {
        // U+20000 is not in Mistral's vocabulary: byte fallback gives F0 A0 80 80, each covering the whole character.
        var table = Mistral.Tokenize("𠀀", addSpecialTokens: false);

        var bytes = table.Where(t => t.Kind == TokenKind.Byte).ToList();
        Assert.Equal(["<0xF0>", "<0xA0>", "<0x80>", "<0x80>"], bytes.Select(t => t.Text));
        Assert.Equal([0xF0 + 3, 0xA0 + 3, 0x80 + 3, 0x80 + 3], bytes.Select(t => t.Id)); // <0x00> is id 3
        Assert.All(bytes, t => Assert.Equal((0, 2), (t.Start, t.End)));
    }

    [Fact]
    public void Byte_level_tokens_that_are_part_of_a_character_show_as_bytes()
    {
        var table = ReferenceTokenizers.Get("llama3").Tokenize("🤗", addSpecialTokens: false);

        Assert.Contains(table, t => t.Kind == TokenKind.Byte && t.Text.StartsWith("<0x", StringComparison.Ordinal));
        Assert.Equal("🤗", ReferenceTokenizers.Get("llama3").Decode(table.Ids));
    }

    [Fact]
    public void A_dataframe_has_one_row_per_token()
    {
        var frame = Mistral.Tokenize(SeedPrompt).ToDataFrame();

        Assert.Equal(13, frame.Rows.Count);
        Assert.Equal(["Index", "Id", "Token", "Kind", "Start", "End"], frame.Columns.Select(c => c.Name));
        Assert.Equal(20400, frame.Columns["Id"][6]);
        Assert.Equal("▁explaining", frame.Columns["Token"][6]);
    }

    [Fact]
    public void A_dataframe_shows_as_aligned_text_without_running_columns_together()
    {
        var text = Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(Mistral.Tokenize(SeedPrompt).ToDataFrame(), "text/plain");

        var lines = text.TrimEnd().Split('\n');
        Assert.Equal(14, lines.Length);  // header + 13 tokens
        Assert.Equal("Index  Id     Token        Kind     Start  End", lines[0]);
        Assert.Equal("6      20400  ▁explaining  Text     22     33", lines[7]);
    }

    [Fact]
    public void Chips_cover_the_text_exactly_once()
    {
        var text = "Hello  world\n🤗 𠀀 done";
        var chips = Mistral.Tokenize(text).Chips();

        var html = chips.ToHtml();
        var shown = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));
        Assert.Equal("<s>" + text, shown);
        Assert.Contains("title=\"1 &lt;s&gt;\"", html);
    }

    [Fact]
    public void The_html_table_lists_every_token_with_its_id()
    {
        var html = Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(Mistral.Tokenize(SeedPrompt), "text/html");

        Assert.StartsWith("<div><p", html);
        Assert.Contains("<td style=\"border:1px solid #d1d5db;padding:2px 8px;text-align:left\">20400</td>", html);
        Assert.Equal(13, System.Text.RegularExpressions.Regex.Matches(html, "<tr><td").Count);
    }

    [Fact]
    public void The_chart_has_one_bar_per_token()
    {
        var chart = Mistral.Tokenize(SeedPrompt).Chart();

        var bars = Assert.IsType<Walkthrough.Display.BarLayer>(Assert.Single(chart.Layers));
        Assert.Equal([0, 3, 4, 6, 3, 6, 11, 5, 3, 3, 1, 3, 1], bars.Series[0].Data.Select(d => d.Value));
        Assert.Equal(13, System.Text.RegularExpressions.Regex.Matches(chart.ToSvg(), "class=\"wt-m\"").Count);
    }

    [Fact]
    public void Comparing_mistral_with_gpt4o_counts_tokens_and_finds_different_cuts()
    {
        var comparison = TokenizerComparison.Of(SeedPrompt, Mistral, ReferenceTokenizers.Get("o200k_base"));

        Assert.Equal(12, comparison.Tables[0].Count); // no <s>: special tokens are left out of comparisons
        Assert.Equal(ReferenceTokenizers.Get("o200k_base").Encode(SeedPrompt).Count, comparison.Tables[1].Count);
        // Everything else is cut alike; " LLM" (41..45) is " LL" + "M" for Mistral, " L" + "LM" for GPT-4o.
        Assert.Equal([43, 44], comparison.DifferentCuts);
        Assert.Equal("Both need 12 tokens.", comparison.Verdict);
        Assert.Equal("o200k_base needs the fewest: 15 tokens, against 23 (mistral-7b).",
            TokenizerComparison.Of("The quick brown fox jumps over the lazy dog. 1234567890", Mistral, ReferenceTokenizers.Get("o200k_base")).Verdict);
    }

    [Fact]
    public void Characters_are_counted_as_a_reader_counts_them_and_the_summary_says_so()
    {
        // T o k e n s ␣ 🤗 ␣ a n d ␣ 𠀀 ! — 15 characters; C# holds 🤗 and 𠀀 as two UTF-16 units each, 17 in all.
        var table = Mistral.Tokenize("Tokens 🤗 and 𠀀!");

        Assert.Equal(15, table.Characters);
        Assert.Equal(17, table.Text.Length);
        Assert.Equal("15 tokens for 15 characters (as a reader counts them; C#'s Length counts 17 UTF-16 units)", table.Summary);
        Assert.StartsWith("mistral-7b: 15 tokens for 15 characters", table.ToString());
        Assert.Equal("13 tokens for 49 characters", Mistral.Tokenize(SeedPrompt).Summary);
    }

    [Fact]
    public void A_token_has_the_same_colour_in_the_table_as_on_its_chip()
    {
        var table = Mistral.Tokenize("Tokens 🤗 and 𠀀!");
        var rows = System.Text.RegularExpressions.Regex.Matches(TokenTableHtml.Render(table), @"background:(#[0-9a-f]{6})").Select(m => m.Groups[1].Value).ToList();
        var chips = System.Text.RegularExpressions.Regex.Matches(table.Chips().ToHtml(), @"background:(#[0-9a-f]{6})").Select(m => m.Groups[1].Value).ToList();

        // One row per token; one chip per token except that the four bytes of 🤗 (and of 𠀀) share one chip.
        Assert.Equal(15, rows.Count);
        Assert.Equal(9, chips.Count);
        var chipOfToken = new List<string>();
        var chip = -1;
        for (var i = 0; i < table.Count; i++)
        {
            if (i == 0 || table[i].Start != table[i - 1].Start || table[i].End != table[i - 1].End || table[i].End == table[i].Start) chip++;
            chipOfToken.Add(chips[chip]);
        }
        Assert.Equal(chipOfToken, rows);
        Assert.Equal(rows[4], rows[7]); // two bytes of 🤗
        Assert.NotEqual(rows[3], rows[4]);
    }
}
