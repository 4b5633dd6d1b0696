using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks;

public sealed class TerminalProseTests
{
    [Fact]
    public void Headings_are_underlined_and_inline_markup_becomes_plain_text()
    {
        var text = TerminalProse.Render("# 01 · Tokens\n\nA **tokenizer** cuts `text` into [pieces](https://example.org/p).");

        Assert.Equal("01 · Tokens\n===========\n\nA tokenizer cuts `text` into pieces (https://example.org/p).\n", text);
    }

    [Fact]
    public void Paragraphs_and_list_items_wrap_to_the_width_with_hanging_indents()
    {
        var text = TerminalProse.Render("- one two three four five\n- six\n\n1. seven eight nine ten", width: 14);

        Assert.Equal("- one two\n  three four\n  five\n- six\n\n1. seven eight\n   nine ten\n", text);
    }

    [Fact]
    public void Tables_become_rows_of_cells()
    {
        var text = TerminalProse.Render("| a | b |\n|---|---|\n| 1 | 2 |");

        Assert.Equal("a | b\n1 | 2\n", text);
    }
}
