using Walkthrough.Inference;

namespace Walkthrough.Tests.Inference;

public sealed class GenerationTests
{
    [Fact]
    public async Task Streamed_pieces_join_up_to_the_generated_text()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var options = new GenerationOptions { MaxNewTokens = 20, StopAtEos = false };

        var result = model.Generate("Hello", options);
        var pieces = new List<string>();
        await foreach (var piece in model.GenerateStreamAsync("Hello", options)) pieces.Add(piece);

        Assert.Equal(result.Text, string.Concat(pieces));
        Assert.Equal(StopReason.MaxNewTokens, result.StopReason);
        Assert.Equal(20, result.NewIds.Count);
    }

    [Fact]
    public void The_mpt_instruct_template_is_the_seeds()
    {
        Assert.Equal(
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n" +
            "### Instruction\nList the days of the week.\n### Response\n",
            PromptTemplate.MptInstruct.Apply("List the days of the week."));
    }

    [Fact]
    public void Chat_templates_are_recognised_by_their_markers()
    {
        Assert.Equal("chatml", ChatTemplates.Recognize("{% for m in messages %}<|im_start|>{{ m.role }}...")!.Name);
        Assert.Equal("llama3", ChatTemplates.Recognize("...<|start_header_id|>' + message['role'] + '<|end_header_id|>...")!.Name);
        Assert.Equal("mistral", ChatTemplates.Recognize("{{ '[INST] ' + message['content'] + ' [/INST]' }}")!.Name);
        Assert.Null(ChatTemplates.Recognize("{{ messages }}"));
    }

    [Fact]
    public void An_unknown_template_name_lists_the_known_ones()
    {
        var error = Assert.Throws<WalkthroughException>(() => PromptTemplate.Named("alpaca"));
        Assert.Contains("mpt-instruct, mistral, none", error.Message);
    }
}
