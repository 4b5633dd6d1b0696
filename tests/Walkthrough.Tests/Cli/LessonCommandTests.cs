namespace Walkthrough.Tests.Cli;

[Collection(Walkthrough.Tests.Notebooks.NotebookCollection.Name)]
public sealed class LessonCommandTests : IDisposable
{
    private readonly string _page = Path.Combine(Path.GetTempPath(), $"walkthrough-lesson-{Guid.NewGuid():N}.html");

    public void Dispose() => File.Delete(_page);

    [Fact]
    public void A_lesson_becomes_one_offline_html_page_with_its_outputs()
    {
        var (code, _, _) = CliRunner.Run("lesson", "01", "--html", _page);

        Assert.Equal(0, code);
        var html = File.ReadAllText(_page);
        Assert.Contains("<h1", html);
        Assert.Contains("20400", html);                    // the token table's output
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wt-chart\"", html); // a chart, drawn inline
        Assert.DoesNotContain("<script", html);            // nothing to run, nothing to fetch: the page opens offline
        Assert.Contains("white-space: pre-wrap; overflow-wrap: anywhere", html); // long code lines wrap, not clipped
    }

    [Fact]
    public void The_terminal_walk_shows_text_code_and_outputs()
    {
        var (code, output, _) = CliRunner.Run("lesson", "tokens");

        Assert.Equal(0, code);
        Assert.Contains("01 · Text becomes tokens\n========================", output); // a heading, underlined
        Assert.Contains("var table = tokenizer.Tokenize(prompt);", output);
        Assert.Contains("mistral-7b: 13 tokens for 49 characters", output);
    }

    [Fact]
    public void An_unknown_lesson_lists_the_lessons()
    {
        var (code, _, error) = CliRunner.Run("lesson", "99");
        Assert.Equal(2, code);
        Assert.Contains("01-tokens", error);
    }
}
