using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks;

[Collection(Walkthrough.Tests.Notebooks.NotebookCollection.Name)]
public sealed class NotebookRunnerTests
{
    private const string DefaultHtmlStart = "<div class=\"dni-plaintext\"><pre>";

    [Fact]
    public async Task Should_carry_usings_variables_and_functions_from_cell_to_cell()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("persistence.ipynb"));

        var code = run.Notebook.Cells.Where(c => c.Kind == CellKind.Code).ToList();
        Assert.Equal([1, 2, 3, 4], code.Select(c => c.ExecutionCount ?? 0));
        Assert.Empty(code[0].Outputs);
        Assert.Equal([new StreamOutput("stdout", "42 1.5\n")], code[1].Outputs);
        Assert.StartsWith(DefaultHtmlStart + "22</pre>", Result(code[2]).Data["text/html"]);
        Assert.Equal(3, Result(code[2]).ExecutionCount);
    }

    [Fact]
    public async Task Should_run_in_the_notebook_folder_and_give_the_working_directory_back()
    {
        var before = Directory.GetCurrentDirectory();

        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("persistence.ipynb"));

        Assert.Equal("notebooks", Result(run.Notebook.Cells[^1]).Data["text/plain"]);
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task Should_record_console_streams_in_the_order_written()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("outputs.ipynb"));

        Assert.Equal(
            [new StreamOutput("stdout", "to stdout\n"), new StreamOutput("stderr", "to stderr\n"), new StreamOutput("stdout", "more stdout\n")],
            run.Notebook.Cells[0].Outputs);
    }

    [Fact]
    public async Task Should_record_displayed_values_and_the_final_expression_in_the_mime_types_the_kernel_uses()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("outputs.ipynb"));

        var outputs = run.Notebook.Cells[1].Outputs;
        Assert.Equal(4, outputs.Count);
        var shown = Assert.IsType<DisplayOutput>(outputs[0]);
        Assert.False(shown.IsResult);
        Assert.Equal(["text/plain"], shown.Data.Keys); // the kernel shows a string as plain text
        Assert.Equal("shown <b>first</b>", shown.Data["text/plain"]);
        Assert.Equal(new StreamOutput("stdout", "between\n"), outputs[1]);
        var plainOnly = Assert.IsType<DisplayOutput>(outputs[2]);
        Assert.Equal(["text/plain"], plainOnly.Data.Keys);
        Assert.Equal("42", plainOnly.Data["text/plain"]);
        var result = Result(run.Notebook.Cells[1]);
        Assert.Equal((true, 2), (result.IsResult, result.ExecutionCount));
        Assert.Equal(["text/html"], result.Data.Keys); // and a number as HTML only
        Assert.StartsWith(DefaultHtmlStart + "42</pre></div><style>", result.Data["text/html"]);
    }

    [Fact]
    public async Task Should_record_a_figure_as_html_svg_and_text()
    {
        var notebook = new NotebookBuilder().Code("Walkthrough.Display.Figure.Bars(\"two bars\", [\"a\", \"b\"], [1, 2])").Build();

        var step = await NotebookRunner.Start(notebook, TestNotebooks.Path("in-memory.ipynb")).ExecuteNextAsync();

        var figure = Result(step!.Cell);
        Assert.Equal(["text/html", "image/svg+xml", "text/plain"], figure.Data.Keys);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", figure.Data["image/svg+xml"]);
        Assert.Contains(figure.Data["image/svg+xml"], figure.Data["text/html"]);
        Assert.StartsWith("two bars\n", figure.Data["text/plain"]);
    }

    [Fact]
    public async Task Should_show_a_value_only_for_a_last_expression_without_semicolon()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("outputs.ipynb"));

        var cells = run.Notebook.Cells;
        Assert.Equal([new StreamOutput("stdout", "a statement has no value\n")], cells[2].Outputs);
        Assert.Equal(["text/html"], Result(cells[3]).Data.Keys);
        Assert.StartsWith(DefaultHtmlStart + "&lt;null&gt;</pre>", Result(cells[3]).Data["text/html"]);
        Assert.Equal([new StreamOutput("stdout", "a void call has no value either\n")], cells[4].Outputs);
    }

    [Fact]
    public async Task Should_accept_the_lessons_first_cell_and_render_kit_values_with_the_kits_formatters()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("kit-setup.ipynb"));

        Assert.Empty(run.Notebook.Cells[1].Outputs);
        var table = Result(run.Notebook.Cells[2]);
        Assert.StartsWith("o200k_base: 1 tokens for 2 characters\n", table.Data["text/plain"]);
        Assert.StartsWith("<div><p style=\"margin:4px 0\"><b>o200k_base</b>: 1 tokens for 2 characters</p><table", table.Data["text/html"]);
    }

    [Fact]
    public async Task Should_fail_a_cell_that_does_not_compile_naming_notebook_cell_and_error()
    {
        var path = TestNotebooks.Path("compile-error.ipynb");

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(path));

        Assert.Equal($"{path}, code cell 2 (cell 3 of 4) `var broken = fine +;`: (1,20): error CS1525: Invalid expression term ';'", error.Message);
        Assert.Equal((2, 2), (error.CodeCellNumber, error.CellIndex));
        var failed = error.Notebook.Cells[2];
        Assert.Equal(2, failed.ExecutionCount);
        Assert.Equal([new ErrorOutput("CompilationError", "(1,20): error CS1525: Invalid expression term ';'", ["(1,20): error CS1525: Invalid expression term ';'"])],
            failed.Outputs, new ErrorOutputComparer());
        Assert.Null(error.Notebook.Cells[3].ExecutionCount);
    }

    [Fact]
    public async Task Should_fail_a_cell_that_throws_with_the_exception_type_and_message()
    {
        var path = TestNotebooks.Path("throws.ipynb");

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(path));

        Assert.Equal($"{path}, code cell 2 (cell 2 of 2) `throw new InvalidOperationException(\"boom\");`: System.InvalidOperationException: boom", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal([new StreamOutput("stdout", "before\n")], error.Notebook.Cells[0].Outputs);
        var output = Assert.IsType<ErrorOutput>(Assert.Single(error.Notebook.Cells[1].Outputs));
        Assert.Equal(("System.InvalidOperationException", "System.InvalidOperationException: boom"), (output.Name, output.Value));
    }

    [Fact]
    public async Task Should_give_only_the_message_of_a_kit_error()
    {
        var notebook = new NotebookBuilder()
            .Code("throw new Walkthrough.WalkthroughException(\"tokenizer.json not found in models/x\");")
            .Build();
        var path = TestNotebooks.Path("in-memory.ipynb");

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.Start(notebook, path).ExecuteNextAsync());

        Assert.Equal($"{path}, code cell 1 (cell 1 of 1) `throw new Walkthrough.WalkthroughException(\"tokenizer.json not found in models/x\");`: tokenizer.json not found in models/x",
            error.Message);
    }

    [Fact]
    public async Task Should_refuse_a_package_version_the_kit_does_not_pin()
    {
        var path = TestNotebooks.Path("wrong-version.ipynb");

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(path));

        Assert.Equal(
            $"{path}, code cell 1 (cell 1 of 1) `#r \"nuget: TorchSharp, 0.106.0\"`: line 1: package TorchSharp 0.106.0 is not the kit's version: " +
            "the kit pins 0.107.0 (Directory.Packages.props); write #r \"nuget: TorchSharp, 0.107.0\"",
            error.Message);
    }

    [Theory]
    [InlineData("#r \"nuget: Walkthrough, 0.1.0\"",
        "package Walkthrough 0.1.0 is not the kit's version: the kit pins 0.1.0-* (src/Walkthrough/Walkthrough.csproj); write #r \"nuget: Walkthrough, 0.1.0-*\"")]
    [InlineData("#r \"nuget: TorchSharp-cuda-linux\"",
        "package TorchSharp-cuda-linux has no version: the kit pins 0.107.0 (Directory.Packages.props); write #r \"nuget: TorchSharp-cuda-linux, 0.107.0\"")]
    [InlineData("#r \"nuget:Newtonsoft.Json,13.0.3\"",
        "package Newtonsoft.Json is not part of the kit; the runner provides Walkthrough, TorchSharp, TorchSharp-cpu, TorchSharp-cuda-linux, " +
        "TorchSharp-cuda-windows, libtorch-cpu-*, Microsoft.ML.Tokenizers*, Microsoft.Data.Analysis, Microsoft.DotNet.Interactive.Formatting")]
    public async Task Should_say_what_to_write_instead_of_a_package_line(string line, string problem)
    {
        var notebook = new NotebookBuilder().Code("// set-up\n" + line).Build();

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.Start(notebook, TestNotebooks.Path("in-memory.ipynb")).ExecuteNextAsync());

        Assert.EndsWith("`// set-up`: line 2: " + problem, error.Message);
    }

    [Fact]
    public async Task Should_leave_kernel_lines_out_of_the_CSharp_but_keep_its_line_numbers()
    {
        var notebook = new NotebookBuilder().Code("#!time\n#i \"nuget: ../packages\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"\nvar y = ;").Build();

        var error = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.Start(notebook, TestNotebooks.Path("in-memory.ipynb")).ExecuteNextAsync());

        Assert.EndsWith("`#!time`: (4,9): error CS1525: Invalid expression term ';'", error.Message);
    }

    [Fact]
    public async Task Should_step_cell_by_cell_and_stop_at_the_end()
    {
        var run = NotebookRunner.Start(TestNotebooks.Path("compile-error.ipynb"));

        Assert.Equal("var fine = 1;", run.Next?.Source);
        var first = await run.ExecuteNextAsync();
        var markdown = await run.ExecuteNextAsync();

        Assert.Equal((0, 1), (first?.Index, first?.CodeCellNumber));
        Assert.Equal((1, (int?)null, CellKind.Markdown), (markdown?.Index, markdown?.CodeCellNumber, markdown?.Cell.Kind));
        Assert.Equal(2, run.NextIndex);
        await Assert.ThrowsAsync<NotebookException>(() => run.ExecuteNextAsync());
        Assert.True(run.IsFinished);
        Assert.Null(run.Next);
        Assert.Null(await run.ExecuteNextAsync());
        Assert.Equal(2, run.CodeCellsRun.Count);
    }

    [Fact]
    public async Task Should_save_an_executed_notebook_that_loads_and_saves_to_the_same_bytes()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Path("outputs.ipynb"));
        var json = run.Notebook.ToJson();

        Assert.Equal(json, Notebook.Parse(json).ToJson());
        Assert.Contains("\"output_type\": \"execute_result\"", json);
        Assert.Contains("\"output_type\": \"display_data\"", json);
        Assert.Contains("\"name\": \"stderr\"", json);
    }

    private static DisplayOutput Result(NotebookCell cell) =>
        Assert.IsType<DisplayOutput>(Assert.Single(cell.Outputs, o => o is DisplayOutput { IsResult: true }));

    /// <summary>Records compare lists by reference; error outputs are equal when their text is.</summary>
    private sealed class ErrorOutputComparer : IEqualityComparer<CellOutput>
    {
        public bool Equals(CellOutput? x, CellOutput? y) =>
            x is ErrorOutput a && y is ErrorOutput b && (a.Name, a.Value) == (b.Name, b.Value) && a.Traceback.SequenceEqual(b.Traceback);

        public int GetHashCode(CellOutput obj) => 0;
    }
}
