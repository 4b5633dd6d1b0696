using System.Text;
using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks;

public sealed class NotebookFormatTests
{
    [Theory]
    [InlineData("round-trip.ipynb")]
    [InlineData("outputs.ipynb")]
    [InlineData("built.ipynb")]
    public void Should_write_back_the_bytes_Python_json_wrote(string name)
    {
        var path = TestNotebooks.Path(name);

        var json = Notebook.Load(path).ToJson();

        Assert.Equal(File.ReadAllText(path, Encoding.UTF8), json);
    }

    [Fact]
    public void Should_save_load_save_to_identical_bytes()
    {
        var first = Path.GetTempFileName();
        var second = Path.GetTempFileName();
        try
        {
            Notebook.Load(TestNotebooks.Path("round-trip.ipynb")).Save(first);
            Notebook.Load(first).Save(second);

            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
            Assert.Equal(File.ReadAllBytes(TestNotebooks.Path("round-trip.ipynb")), File.ReadAllBytes(first));
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    [Fact]
    public void Should_read_every_kind_of_cell_and_output()
    {
        var notebook = Notebook.Load(TestNotebooks.Path("round-trip.ipynb"));

        Assert.Equal([CellKind.Markdown, CellKind.Raw, CellKind.Code, CellKind.Code], notebook.Cells.Select(c => c.Kind));
        Assert.Equal("Ünïcödé — 🤗 𠀀, a tab\tand \"quotes\" \\ backslash\n", notebook.Cells[0].Source);
        Assert.Equal("a1", notebook.Cells[0].Id);
        Assert.Equal(5, notebook.FormatMinor);
        var code = notebook.Cells[2];
        Assert.Equal("var x = 1;\nx", code.Source);
        Assert.Equal(1, code.ExecutionCount);
        Assert.Equal("csharp", code.KernelName);
        Assert.Equal(new StreamOutput("stdout", "line one\nline two\n"), code.Outputs[0]);
        Assert.Equal(new StreamOutput("stderr", "careful\u0001\n"), code.Outputs[1]);
        var display = Assert.IsType<DisplayOutput>(code.Outputs[2]);
        Assert.False(display.IsResult);
        Assert.Equal("<b>1</b>\n<i>x</i>", display.Data["text/html"]);
        Assert.Equal("""{"a":"z","b":[1,2.5,true,null]}""", display.Data["application/json"].Replace(" ", "").Replace("\n", ""));
        var result = Assert.IsType<DisplayOutput>(code.Outputs[3]);
        Assert.True(result.IsResult);
        Assert.Equal(1, result.ExecutionCount);
        var error = Assert.IsType<ErrorOutput>(code.Outputs[4]);
        Assert.Equal(("System.Exception", "bad\nworse"), (error.Name, error.Value));
        Assert.Equal(["bad", "worse"], error.Traceback);
    }

    [Fact]
    public void Should_build_the_notebook_Polyglot_Notebooks_writes()
    {
        var notebook = new NotebookBuilder()
            .Markdown("# Built in C#\n\nA markdown cell, then a code cell.")
            .Code("var x = 1;\nx")
            .Build();

        Assert.Equal(File.ReadAllText(TestNotebooks.Path("built.ipynb"), Encoding.UTF8), notebook.ToJson());
    }

    [Fact]
    public void Should_name_the_file_when_it_is_not_a_notebook()
    {
        var error = Assert.Throws<WalkthroughException>(() => Notebook.Parse("""{"nbformat": 3, "cells": []}""", "old.ipynb"));

        Assert.Equal("old.ipynb is not an nbformat 4 notebook: it is nbformat 3; save it again from VS Code or Jupyter to get nbformat 4.", error.Message);
    }
}
