using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>A lookup table: row i of the weight is the vector of token i. Starts empty; a checkpoint fills it.</summary>
internal sealed class Embedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (vocab, hidden)

    public Embedding(long count, long dimension, ScalarType dtype, Device device) : base(nameof(Embedding))
    {
        weight = new Parameter(WeightLayout.Empty(count, dimension, dtype, device), requires_grad: false); // also the tied output head
        RegisterComponents();
    }

    public Tensor Weight => weight;

    public override Tensor forward(Tensor ids) // (B, T) → (B, T, hidden)
    {
        using var flat = ids.flatten();
        using var rows = weight.index_select(0, flat);
        return rows.view(ids.size(0), ids.size(1), weight.size(1));
    }
}
