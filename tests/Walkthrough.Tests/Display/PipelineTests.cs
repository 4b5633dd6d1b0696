using Walkthrough.Display;

namespace Walkthrough.Tests.Display;

public sealed class PipelineTests
{
    [Fact]
    public void The_picture_has_every_stage_in_order_and_marks_where_the_lesson_is()
    {
        var pipeline = Pipeline.YouAreHere(Stage.Tokens);
        var svg = pipeline.ToHtml();

        var names = new[] { ">text<", ">tokens<", ">vectors<", ">layers<", ">logits<", ">choice<" }.Select(n => svg.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(names, at => Assert.True(at > 0));
        Assert.Equal(names.Order(), names); // drawn left to right in the pipeline's order
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(svg, "▼ you are here"));
        Assert.StartsWith("<svg", svg);
        Assert.DoesNotContain("<script", svg);
        Assert.Equal("text → [tokens] → vectors → layers → logits → choice ↺   ([ ] = you are here)", pipeline.ToString());
    }

    [Fact]
    public void A_lesson_can_be_at_several_stages_and_must_be_at_one()
    {
        Assert.Equal([Stage.Vectors, Stage.Layers], Pipeline.YouAreHere(Stage.Layers, Stage.Vectors, Stage.Layers).Here);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(Pipeline.YouAreHere(Stage.Logits, Stage.Choice).ToHtml(), "▼ you are here"));
        Assert.Throws<WalkthroughException>(() => Pipeline.YouAreHere());
    }
}
