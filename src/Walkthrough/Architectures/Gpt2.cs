using TorchSharp;
using TorchSharp.Modules;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

// GPT-2 (Radford et al. 2019), as Hugging Face's modeling_gpt2 lays it out. What differs from Llama: learned
// position embeddings (wpe) added to the token embeddings; LayerNorm with bias; a GELU MLP (tanh approximation,
// "gelu_new"); biases everywhere; and "Conv1D" layers — linear layers whose weight is stored transposed (in, out).

/// <summary>The whole model: wte + wpe → blocks (h) → ln_f → logits through wte again (tied).</summary>
internal sealed class Gpt2LMHeadModel : CausalLanguageModel
{
    private readonly Gpt2Model transformer;

    public Gpt2LMHeadModel(ModelConfig config, Layers layers) : base(nameof(Gpt2LMHeadModel))
    {
        transformer = new Gpt2Model(config, layers);
        RegisterComponents();
    }

    protected override Tensor Residual(Tensor ids, KvCache? cache, ForwardRecorder? recorder) => transformer.forward(ids, cache, recorder);

    public override Tensor Unembed(Tensor residual)
    {
        using var scope = NewDisposeScope();
        return MatrixVector.Linear(transformer.ln_f.forward(residual), transformer.wte.Weight, bias: null).MoveToOuterDisposeScope();
    }

    public override Tensor TokenEmbeddings => transformer.wte.Weight;
}

internal sealed class Gpt2Model : nn.Module
{
    public readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Gpt2Block> h;
    public readonly LayerNorm ln_f; // applied by the head (Gpt2LMHeadModel.Unembed), so the logit lens can reuse it
    private readonly int _maxPositions;

    public Gpt2Model(ModelConfig config, Layers make) : base(nameof(Gpt2Model))
    {
        wte = make.Embedding(config.VocabularySize, config.HiddenSize);
        wpe = make.Embedding(config.MaxPositions, config.HiddenSize);
        h = new ModuleList<Gpt2Block>(Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(config, make, i)).ToArray());
        ln_f = make.LayerNorm(config.HiddenSize, config.NormEpsilon, bias: true);
        _maxPositions = config.MaxPositions;
        RegisterComponents();
    }

    /// <summary>(B, T) → the residual stream after the last block (B, T, hidden), before the final norm.</summary>
    public Tensor forward(Tensor ids, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = ids.shape[1];
        if (past + length > _maxPositions)
            throw new WalkthroughException($"GPT-2 has learned positions for {_maxPositions} tokens only; this input needs {past + length}.");
        var positions = Scalars.Arange(past, past + length, int64, ids.device).unsqueeze(0);
        var x = wte.forward(ids).add(wpe.forward(positions), Scalars.One);                  // token + position
        recorder?.Residual(0, x);
        var mask = AttentionMask.For(length, past, window: null, ids.device);
        for (var i = 0; i < h.Count; i++)
        {
            x = h[i].forward(x, mask, cache, recorder);
            recorder?.Residual(i + 1, x);
        }
        return x.MoveToOuterDisposeScope();
    }
}

internal sealed class Gpt2Block : nn.Module
{
    private readonly LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;

    public Gpt2Block(ModelConfig config, Layers make, int index) : base(nameof(Gpt2Block))
    {
        ln_1 = make.LayerNorm(config.HiddenSize, config.NormEpsilon, bias: true);
        attn = new Gpt2Attention(config, make, index);
        ln_2 = make.LayerNorm(config.HiddenSize, config.NormEpsilon, bias: true);
        mlp = new Gpt2Mlp(config, make);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? mask, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var hidden = x.add(attn.forward(ln_1.forward(x), mask, cache, recorder), Scalars.One);   // x + attention
        return hidden.add(mlp.forward(ln_2.forward(hidden)), Scalars.One).MoveToOuterDisposeScope(); // h + MLP
    }
}

internal sealed class Gpt2Attention : nn.Module
{
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _layer;

    public Gpt2Attention(ModelConfig config, Layers make, int layer) : base(nameof(Gpt2Attention))
    {
        (_heads, _headDim, _layer) = (config.Heads, config.HeadDim, layer);
        c_attn = new Conv1D(config.HiddenSize, 3 * config.HiddenSize, make);
        c_proj = new Conv1D(config.HiddenSize, config.HiddenSize, make);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? mask, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.size(0), x.size(1));
        var parts = c_attn.forward(x).chunk(3, dim: -1);
        var q = parts[0].view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = parts[1].view(batch, length, _heads, _headDim).transpose(1, 2);
        var v = parts[2].view(batch, length, _heads, _headDim).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);
        var causal = AttentionMask.IsCausal(mask, length);
        recorder?.Attention(_layer, q, k, mask, causal);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0, is_casual: causal);
        return c_proj.forward(attended.transpose(1, 2).reshape(batch, length, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}

internal sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D c_fc;
    private readonly Conv1D c_proj;

    public Gpt2Mlp(ModelConfig config, Layers make) : base(nameof(Gpt2Mlp))
    {
        c_fc = new Conv1D(config.HiddenSize, config.IntermediateSize, make);
        c_proj = new Conv1D(config.IntermediateSize, config.HiddenSize, make);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return c_proj.forward(GeluNew(c_fc.forward(x))).MoveToOuterDisposeScope();
    }

    private static readonly Scalar Half = 0.5, Three = 3, Cubic = 0.044715, RootTwoOverPi = Math.Sqrt(2 / Math.PI);

    // GPT-2's "gelu_new": the tanh approximation of GELU, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), in held Scalars.
    private static Tensor GeluNew(Tensor x)
    {
        var inner = x.add(x.pow(Three).mul(Cubic), Scalars.One).mul(RootTwoOverPi); // √(2/π)·(x + 0.044715·x³)
        return x.mul(Half) * inner.tanh().add(Scalars.One, Scalars.One);           // 0.5·x·(1 + tanh(·))
    }
}

/// <summary>GPT-2's linear layer: weight stored (in, out), so y = x W + b. Kept in full precision (no int8).</summary>
internal sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (in, out)
    private readonly Parameter bias;   // (out)

    public Conv1D(long inFeatures, long outFeatures, Layers make) : base(nameof(Conv1D))
    {
        weight = new Parameter(empty([inFeatures, outFeatures], make.Dtype, make.Device), requires_grad: false);
        bias = new Parameter(empty([outFeatures], make.Dtype, make.Device), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => addmm(bias, x.reshape(-1, x.shape[^1]), weight, beta: 1, alpha: 1).view([.. x.shape[..^1], weight.shape[1]]);
}
