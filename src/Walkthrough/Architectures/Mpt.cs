using TorchSharp;
using TorchSharp.Modules;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

// MPT (MosaicML 2023; mpt-7b, mpt-30b-instruct), as Hugging Face's modeling_mpt lays it out. What differs from
// Llama: no position embeddings at all — ALiBi adds a per-head linear penalty to attention scores instead, so the
// context can grow past training length (the seed raised max_seq_len to 16384); one fused Wqkv projection;
// LayerNorm with no bias; a plain GELU MLP; no biases anywhere; the output head is the embedding matrix.

/// <summary>The whole model: wte → blocks → norm_f → logits through wte again (tied).</summary>
internal sealed class MptForCausalLM : CausalLanguageModel
{
    private readonly MptModel transformer;

    public MptForCausalLM(ModelConfig config, Layers layers) : base(nameof(MptForCausalLM))
    {
        transformer = new MptModel(config, layers);
        RegisterComponents();
    }

    protected override Tensor Residual(Tensor ids, KvCache? cache, ForwardRecorder? recorder) => transformer.forward(ids, cache, recorder);

    public override Tensor Unembed(Tensor residual)
    {
        using var scope = NewDisposeScope();
        return MatrixVector.Linear(transformer.norm_f.forward(residual), transformer.wte.Weight, bias: null).MoveToOuterDisposeScope();
    }

    public override Tensor TokenEmbeddings => transformer.wte.Weight;
}

internal sealed class MptModel : nn.Module
{
    public readonly Embedding wte;
    private readonly ModuleList<MptBlock> blocks;
    public readonly LayerNorm norm_f; // applied by the head (MptForCausalLM.Unembed), so the logit lens can reuse it
    private readonly Tensor _slopes; // (heads): ALiBi's penalty per token of distance, one per head

    public MptModel(ModelConfig config, Layers make) : base(nameof(MptModel))
    {
        wte = make.Embedding(config.VocabularySize, config.HiddenSize);
        blocks = new ModuleList<MptBlock>(Enumerable.Range(0, config.Layers).Select(i => new MptBlock(config, make, i)).ToArray());
        norm_f = make.LayerNorm(config.HiddenSize, config.NormEpsilon, config.LinearBias);
        _slopes = tensor(Alibi.Slopes(config.Heads, config.AlibiBiasMax).Select(s => (float)s).ToArray(), float32, make.Device);
        RegisterComponents();
    }

    /// <summary>(B, T) → the residual stream after the last block (B, T, hidden), before the final norm.</summary>
    public Tensor forward(Tensor ids, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = ids.shape[1];
        var x = wte.forward(ids);
        recorder?.Residual(0, x);
        var bias = Alibi.Bias(_slopes, length, past, x.dtype);                       // (heads, T, past + T)
        for (var i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].forward(x, bias, cache, recorder);
            recorder?.Residual(i + 1, x);
        }
        return x.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _slopes.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class MptBlock : nn.Module
{
    private readonly LayerNorm norm_1;
    private readonly MptAttention attn;
    private readonly LayerNorm norm_2;
    private readonly MptMlp ffn;

    public MptBlock(ModelConfig config, Layers make, int index) : base(nameof(MptBlock))
    {
        norm_1 = make.LayerNorm(config.HiddenSize, config.NormEpsilon, config.LinearBias);
        attn = new MptAttention(config, make, index);
        norm_2 = make.LayerNorm(config.HiddenSize, config.NormEpsilon, config.LinearBias);
        ffn = new MptMlp(config, make);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor bias, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var h = x.add(attn.forward(norm_1.forward(x), bias, cache, recorder), Scalars.One);   // x + attention
        return h.add(ffn.forward(norm_2.forward(h)), Scalars.One).MoveToOuterDisposeScope(); // h + MLP
    }
}

internal sealed class MptAttention : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> Wqkv;
    private readonly nn.Module<Tensor, Tensor> out_proj;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly (Scalar Min, Scalar Max)? _clip;
    private readonly int _layer;

    public MptAttention(ModelConfig config, Layers make, int layer) : base(nameof(MptAttention))
    {
        (_heads, _headDim, _layer) = (config.Heads, config.HeadDim, layer);
        if (config.ClipQkv is { } clip) _clip = (-clip, clip);
        Wqkv = make.Linear(config.HiddenSize, 3 * config.HiddenSize, config.LinearBias);
        out_proj = make.Linear(config.HiddenSize, config.HiddenSize, config.LinearBias);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor bias, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var qkv = Wqkv.forward(x);
        if (_clip is { } clip) qkv = qkv.clamp(clip.Min, clip.Max); // clip_qkv: MPT's guard against exploding activations
        var parts = qkv.chunk(3, dim: -1);
        var q = parts[0].view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = parts[1].view(batch, length, _heads, _headDim).transpose(1, 2);
        var v = parts[2].view(batch, length, _heads, _headDim).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);
        recorder?.Attention(_layer, q, k, bias.unsqueeze(0), isCausal: false);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, bias.unsqueeze(0), 0, is_casual: false);
        return out_proj.forward(attended.transpose(1, 2).reshape(batch, length, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}

/// <summary>up_proj → GELU → down_proj.</summary>
internal sealed class MptMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;

    public MptMlp(ModelConfig config, Layers make) : base(nameof(MptMlp))
    {
        up_proj = make.Linear(config.HiddenSize, config.IntermediateSize, config.LinearBias);
        down_proj = make.Linear(config.IntermediateSize, config.HiddenSize, config.LinearBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(nn.functional.gelu(up_proj.forward(x))).MoveToOuterDisposeScope();
    }
}
