#!/usr/bin/env python3
"""Writes the runner's test notebooks the way Jupyter's nbformat does (json.dumps with indent=1, sort_keys=True,
ensure_ascii=False, then a newline), with the metadata Polyglot Notebooks writes for C#. Python's json module is the
independent reference: the runner must read these files and write them back byte for byte.

    python3 tests/data/notebooks/make-notebooks.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
    "language_info": {"name": "polyglot-notebook"},
    "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
}
CELL_METADATA = {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}}


def lines(text):
    return text.splitlines(keepends=True)


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": lines(text)}


def cs(code, outputs=(), count=None):
    return {"cell_type": "code", "execution_count": count, "metadata": CELL_METADATA, "outputs": list(outputs),
            "source": lines(code)}


def notebook(*cells):
    return {"cells": list(cells), "metadata": NOTEBOOK_METADATA, "nbformat": 4, "nbformat_minor": 2}


def write(name, nb):
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (HERE / name).write_text(text, encoding="utf-8", newline="\n")


write("persistence.ipynb", notebook(
    md("# Cells share one C# session\n\nA using, a variable and a function from the first cell are used later."),
    cs('using System.Globalization;\nvar answer = 21;\nstring Twice(int value) => (value * 2).ToString(CultureInfo.InvariantCulture);'),
    cs('Console.WriteLine(Twice(answer) + " " + 1.5.ToString(CultureInfo.InvariantCulture));'),
    cs("answer += 1;\nanswer"),
    cs("await Task.Delay(1);\nSystem.IO.Path.GetFileName(Environment.CurrentDirectory)"),
))

write("outputs.ipynb", notebook(
    cs('Console.WriteLine("to stdout");\nConsole.Error.WriteLine("to stderr");\nConsole.Write("more ");\nConsole.WriteLine("stdout");'),
    cs('display("shown <b>first</b>");\nConsole.WriteLine("between");\ndisplay(42, "text/plain");\n6 * 7'),
    cs('Console.WriteLine("a statement has no value");'),
    cs("string? nothing = null;\nnothing"),
    cs('Console.WriteLine("a void call has no value either")'),
))

write("kit-setup.ipynb", notebook(
    # o200k_base ships in a package: from tests/data, KitData would take tests/data for the kit's data folder.
    md("The first cell every lesson has, then a kit value that renders itself."),
    cs('#r "nuget: TorchSharp-cpu, 0.107.0"\n#r "nuget: Walkthrough, 0.1.0-*"\n\n'
       "using Walkthrough.Tokens;"),
    cs('Tokenizer.Load("o200k_base").Tokenize("Hi")'),
))

write("compile-error.ipynb", notebook(
    cs("var fine = 1;"),
    md("The next cell does not compile."),
    cs("var broken = fine +;"),
    cs('Console.WriteLine("never runs");'),
))

write("throws.ipynb", notebook(
    cs('Console.WriteLine("before");'),
    cs('throw new InvalidOperationException("boom");'),
))

write("wrong-version.ipynb", notebook(
    cs('#r "nuget: TorchSharp, 0.106.0"\nusing TorchSharp;'),
))

write("built.ipynb", notebook(
    md("# Built in C#\n\nA markdown cell, then a code cell."),
    cs("var x = 1;\nx"),
))

# Every kind of output and the awkward corners of the format, for the byte-for-byte round trip.
write("round-trip.ipynb", {
    "cells": [
        {"attachments": {"dot.png": {"image/png": "iVBORw0KGgo="}}, "cell_type": "markdown", "id": "a1",
         "metadata": {"tags": ["intro"]}, "source": lines("Ünïcödé — 🤗 𠀀, a tab\tand \"quotes\" \\ backslash\n")},
        {"cell_type": "raw", "metadata": {}, "source": []},
        cs("var x = 1;\nx", count=1, outputs=[
            {"name": "stdout", "output_type": "stream", "text": lines("line one\nline two\n")},
            {"name": "stderr", "output_type": "stream", "text": lines("careful\u0001\n")},
            {"data": {"text/html": lines("<b>1</b>\n<i>x</i>"), "text/plain": ["1"],
                      "application/json": {"b": [1, 2.5, True, None], "a": "z"}},
             "metadata": {"scale": 0.5}, "output_type": "display_data"},
            {"data": {"text/plain": ["1"]}, "execution_count": 1, "metadata": {}, "output_type": "execute_result"},
            {"ename": "System.Exception", "evalue": "bad\nworse", "output_type": "error",
             "traceback": ["bad", "worse"]},
        ]),
        cs("", count=None),
    ],
    "metadata": {**NOTEBOOK_METADATA, "widths": [1e-05, 3, -2.5]},
    "nbformat": 4,
    "nbformat_minor": 5,
})
