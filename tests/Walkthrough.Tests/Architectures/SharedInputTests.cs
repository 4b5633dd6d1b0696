using Walkthrough.Architectures;
using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Architectures;

public sealed class SharedInputTests
{
    public SharedInputTests() => TorchRuntime.Ensure();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]  // biases, as Qwen2's q, k and v have
    [InlineData(false, true)]  // int8 layers keep their own weights and are joined
    public void Filling_each_layer_as_a_checkpoint_does_gives_the_three_products_side_by_side(bool bias, bool int8)
    {
        using var scope = NewDisposeScope();
        using var shared = new SharedInput(6, [4, 2, 2], bias, new Layers(float32, CPU, int8));
        var weights = new[] { randn(4, 6), randn(2, 6), randn(2, 6) };
        var biases = new[] { randn(4), randn(2), randn(2) };
        using (no_grad())
        {
            for (var i = 0; i < 3; i++)
            {
                var parameters = shared.Layers[i].named_parameters().ToDictionary(p => p.name, p => p.parameter);
                Assert.Equal([weights[i].shape[0], 6], parameters["weight"].shape); // each layer keeps its checkpoint shape
                if (int8) Int8Linear.Quantize(weights[i], parameters["weight"], parameters[Int8Linear.ScaleName]);
                else parameters["weight"].copy_(weights[i]);
                if (bias) parameters["bias"].copy_(biases[i]);
            }
        }
        var x = randn(1, 3, 6);

        var together = shared.forward(x);

        var apart = cat(Enumerable.Range(0, 3).Select(i => nn.functional.linear(x, weights[i], bias ? biases[i] : null)).ToArray(), -1);
        Assert.Equal([1, 3, 8], together.shape);
        Assert.True((together - apart).abs().max().item<float>() < (int8 ? 0.05 : 1e-5));
    }

    [Fact]
    public void The_layers_weights_are_blocks_of_one_matrix_so_a_write_to_one_shows_in_the_product()
    {
        using var scope = NewDisposeScope();
        using var shared = new SharedInput(3, [2, 1], false, new Layers(float32, CPU, Int8: false));
        using (no_grad())
        {
            shared.Layers[0].parameters().Single().fill_(0);
            shared.Layers[1].parameters().Single().fill_(1);
        }
        var y = shared.forward(ones(1, 3)).flatten().data<float>().ToArray();

        Assert.Equal([0f, 0f, 3f], y);
    }
}
