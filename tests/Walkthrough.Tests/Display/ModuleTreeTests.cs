using Walkthrough.Tests.Inference;

namespace Walkthrough.Tests.Display;

public sealed class ModuleTreeTests
{
    [Fact]
    public void The_tree_counts_every_parameter_once_and_folds_repeated_layers()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var tree = model.Tree();
        var text = tree.ToString();

        // Hand count: embeddings 32000·32; per layer q 32·32, k and v 32·16 each, o 32·32, MLP 3·32·64, two norms 2·32;
        // final norm 32; the head is tied to the embeddings.
        long perLayer = 32 * 32 + 2 * 32 * 16 + 32 * 32 + 3 * 32 * 64 + 2 * 32;
        Assert.Equal(32000 * 32 + 2 * perLayer + 32, tree.ParameterCount);
        Assert.Equal(tree.ParameterCount * 4, tree.Bytes);
        Assert.Contains($"0…1 (2 × MistralDecoderLayer)  {2 * perLayer:N0} parameters", text);
        Assert.Contains("q_proj (Linear)", text);
        Assert.Contains("weight         (32, 32)         Float32   cpu", text);
    }

    [Fact]
    public void Types_read_as_the_architecture_names_them_without_generic_arity()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var tree = model.Tree();
        var text = tree.ToString();

        Assert.StartsWith("random-mistral (MistralForCausalLM):", text);
        Assert.Contains("model (MistralModel)", text);
        Assert.Contains("layers (ModuleList)", text);
        Assert.Contains("self_attn (MistralAttention)", text);
        Assert.DoesNotContain("`", text);
        Assert.DoesNotContain("Llama", text);
        Assert.Equal("LlamaDecoderLayer", Walkthrough.Display.ModuleTree.TypeName(typeof(Walkthrough.Architectures.LlamaDecoderLayer), Walkthrough.Checkpoints.Architecture.Llama));
    }

    [Fact]
    public void The_html_tree_opens_down_to_the_parts_of_a_layer()
    {
        using var model = TinyLanguageModels.RandomMistral();
        var html = model.Tree().ToHtml();

        // model, its parts (embed_tokens, layers, norm) and the layer group open; a layer's parts (self_attn, mlp …) folded.
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(html, "<details open>"));
        Assert.Contains("<details><summary>self_attn <i>MistralAttention</i>", html);
    }
}
