using System.Text.RegularExpressions;
using Walkthrough.Notebooks;
using Walkthrough.Tests.Notebooks;

namespace Walkthrough.Tests.LessonProse;

/// <summary>The lessons' prose against their saved outputs (every headless run checks the fresh ones too).</summary>
public sealed partial class LessonProseTests
{
    [Theory]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public void Every_fact_the_prose_states_about_an_output_holds_in_the_saved_lesson(string lesson)
    {
        LessonClaims.AssertHold(lesson, Notebook.Load(Path.Combine(RepoPaths.Root, "notebooks", lesson)));
    }

    /// <summary>
    /// One convention: memory in binary units (MiB, GiB), as the lessons state. "16 GB" survives only as a product's
    /// name ("a 16 GB V100", "an 80 GB GPU", V100-16GB) or in quotes, where a lesson explains that it means 16 GiB.
    /// </summary>
    [Theory]
    [MemberData(nameof(LessonNotebooksRunHeadless.Lessons), MemberType = typeof(LessonNotebooksRunHeadless))]
    public void Lessons_count_memory_in_binary_units(string lesson)
    {
        var notebook = Notebook.Load(Path.Combine(RepoPaths.Root, "notebooks", lesson));
        foreach (var cell in notebook.Cells)
        {
            var outputs = string.Join("\n", cell.Outputs.Select(o => o switch
            {
                StreamOutput s => s.Text,
                DisplayOutput d when d.Data.TryGetValue("text/plain", out var t) => t,
                _ => "",
            }));
            foreach (var text in new[] { cell.Source, outputs })
            {
                var decimalUnit = DecimalUnit().Match(text);
                Assert.False(decimalUnit.Success, $"{lesson}: \"{decimalUnit.Value}\" in \"{Around(text, decimalUnit.Index)}\" — use MiB/GiB (Units.Bytes)");
            }
        }
    }

    [Fact]
    public void Each_lesson_opens_with_the_pipeline_and_where_it_is()
    {
        foreach (var lesson in Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").Select(Path.GetFileName))
        {
            var cells = Notebook.Load(Path.Combine(RepoPaths.Root, "notebooks", lesson!)).Cells;
            var setUp = cells.ToList().FindIndex(c => c.Kind == CellKind.Code);
            Assert.StartsWith("## Where this lesson is", cells[setUp + 1].Source);
            Assert.Contains("autocomplete", cells[setUp + 1].Source); // the metaphor a non-engineer keeps
            Assert.Matches(@"^using Walkthrough\.Display;\nPipeline\.YouAreHere\(Stage\.\w+(, Stage\.\w+)*\)$", cells[setUp + 2].Source);
            Assert.Contains("you are here", string.Join("", cells[setUp + 2].Outputs.OfType<DisplayOutput>().Select(d => d.Data["text/html"])));
        }
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 30), Math.Min(60, text.Length - Math.Max(0, at - 30))).ReplaceLineEndings(" ");

    // A decimal size ("17.0 MB", "29 GB", "1e6") not part of a GPU's name and not quoted.
    [GeneratedRegex(@"(?<![-\w""`.])\d+(\.\d+)? ?(KB|MB|GB|TB)\b(?! (V100|GPU|A100|of safetensors))|/ ?1e[369]\b")]
    private static partial Regex DecimalUnit();
}
