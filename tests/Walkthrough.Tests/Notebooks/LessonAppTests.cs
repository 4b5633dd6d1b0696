using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks;

public sealed class LessonAppTests
{
    private static readonly Notebook Small = new(
    [
        NotebookCell.Markdown("# A lesson\n\nTwo lines."),
        NotebookCell.Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: Walkthrough, 0.1.0-*\"\nusing Walkthrough;\nDoctor.Check()"),
        NotebookCell.Code("var x = 2;\nx * 3"),
        NotebookCell.Code("using Walkthrough;\ndisplay(x);"),
    ]);

    [Fact]
    public void The_prose_is_printed_as_terminal_text_and_a_final_value_is_shown()
    {
        var app = LessonApp.Render(Small, "00-small.ipynb");

        Assert.Contains("Console.WriteLine(\"\"\"\n\n    A lesson\n    ========\n\n    Two lines.\n\n    \"\"\");", app);
        Assert.Contains("Show(Doctor.Check());", app);
        Assert.Contains("var x = 2;\nShow(x * 3);", app);
        Assert.Contains("display(x);", app);
        Assert.Contains("static void display(object? value)", app);
    }

    [Fact]
    public void Packages_come_from_the_repository_and_usings_move_to_the_top_once()
    {
        var app = LessonApp.Render(Small, "00-small.ipynb");

        Assert.Contains("#:property UsesLibTorch=true\n", app);
        Assert.Contains("#:property WalkthroughCuda=false\n#:project ../src/Walkthrough/Walkthrough.csproj\n", app);
        Assert.DoesNotContain("#r ", app);
        Assert.DoesNotContain("#i ", app);
        Assert.DoesNotContain("0.107.0", app); // central versions: a version here breaks the build
        Assert.Single(app.Split('\n'), line => line == "using Walkthrough;");
        Assert.True(app.IndexOf("using Walkthrough;", StringComparison.Ordinal) < app.IndexOf("A lesson", StringComparison.Ordinal));
    }

    [Fact]
    public void The_app_is_valid_csharp()
    {
        var tree = CSharpSyntaxTree.ParseText(LessonApp.Render(Small, "00-small.ipynb"), new CSharpParseOptions(LanguageVersion.Preview).WithFeatures([new("FileBasedProgram", "true")]));

        Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>lessons/*.cs are generated; a notebook edited without regenerating its app fails here.</summary>
    [Theory]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public void Each_lesson_app_matches_its_notebook(string notebook)
    {
        var name = Path.GetFileNameWithoutExtension(notebook);
        var app = Path.Combine(RepoPaths.Root, "lessons", name + ".cs");

        Assert.True(File.Exists(app), $"lessons/{name}.cs is missing: walkthrough lesson {name} --app lessons/{name}.cs");
        var expected = LessonApp.Render(Notebook.Load(Path.Combine(RepoPaths.Root, "notebooks", notebook)), notebook);
        Assert.True(expected == File.ReadAllText(app), $"lessons/{name}.cs is out of date: walkthrough lesson {name} --app lessons/{name}.cs");
    }
}
