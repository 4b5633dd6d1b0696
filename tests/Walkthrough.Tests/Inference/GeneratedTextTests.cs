using Walkthrough.Inference;
using Walkthrough.Tests.Tokens;

namespace Walkthrough.Tests.Inference;

public sealed class GeneratedTextTests
{
    private static readonly Walkthrough.Tokens.Tokenizer Mistral = ReferenceTokenizers.Get("mistral-7b");

    [Fact]
    public void Bytes_of_one_character_spread_over_tokens_come_out_as_one_character()
    {
        // 𠀀 is four byte-fallback tokens: nothing is certain until the fourth arrives.
        var ids = Mistral.Encode("𠀀", addSpecialTokens: false).Where(id => Mistral.Describe(id).Kind == Walkthrough.Tokens.TokenKind.Byte).ToList();
        var text = new GeneratedText(Mistral, []);

        var pieces = ids.Select(text.Add).ToList();

        Assert.Equal(["", "", "", "𠀀"], pieces);
    }

    [Fact]
    public void Text_is_cut_before_the_stop_string_even_when_it_arrives_in_parts()
    {
        var ids = Mistral.Encode("Paris.\n### Instruction\nMore", addSpecialTokens: false);
        var text = new GeneratedText(Mistral, ["### Instruction"]);

        var streamed = string.Concat(ids.Select(text.Add)) + text.Flush();

        Assert.Equal(" Paris.\n", streamed);
        Assert.Equal(" Paris.\n", text.Text);
        Assert.Equal("### Instruction", text.StopString);
    }

    [Fact]
    public void Text_that_only_starts_like_a_stop_string_is_released_at_the_end()
    {
        var ids = Mistral.Encode("a ### b", addSpecialTokens: false);
        var text = new GeneratedText(Mistral, ["### Instruction"]);

        var streamed = string.Concat(ids.Select(text.Add)) + text.Flush();

        Assert.Equal(" a ### b", streamed);
        Assert.Null(text.StopString);
    }
}
