using TorchSharp;
using TorchSharp.Modules;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

// Llama (Touvron et al. 2023), as Hugging Face's modeling_llama lays it out, and its two close relatives:
// Mistral = Llama + a sliding attention window; Qwen2 = Llama + biases on the q/k/v projections.
// Field names are the checkpoint's tensor names (RegisterComponents turns them into state-dict keys).

/// <summary>The whole model: token embeddings → N decoder layers → final norm → output head (logits).</summary>
internal sealed class LlamaForCausalLM : CausalLanguageModel
{
    private readonly LlamaModel model;
    private readonly nn.Module<Tensor, Tensor>? lm_head; // absent when tied to model.embed_tokens

    public LlamaForCausalLM(ModelConfig config, Layers layers) : base(nameof(LlamaForCausalLM))
    {
        model = new LlamaModel(config, layers);
        lm_head = config.TiedEmbeddings ? null : layers.Linear(config.HiddenSize, config.VocabularySize, bias: false);
        RegisterComponents();
    }

    protected override Tensor Residual(Tensor ids, KvCache? cache, ForwardRecorder? recorder) => model.forward(ids, cache, recorder);

    public override Tensor Unembed(Tensor residual) // (…, hidden) → (…, vocab)
    {
        using var scope = NewDisposeScope();
        var hidden = model.norm.forward(residual);
        var logits = lm_head is null ? nn.functional.linear(hidden, model.embed_tokens.Weight) : lm_head.forward(hidden);
        return logits.MoveToOuterDisposeScope();
    }

    public override Tensor TokenEmbeddings => model.embed_tokens.Weight;

    protected override void Dispose(bool disposing)
    {
        if (disposing) model.Rotary.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class LlamaModel : nn.Module
{
    public readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    public readonly RmsNorm norm; // applied by the head (LlamaForCausalLM.Unembed), so the logit lens can reuse it

    public LlamaModel(ModelConfig config, Layers make) : base(nameof(LlamaModel))
    {
        embed_tokens = make.Embedding(config.VocabularySize, config.HiddenSize);
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, config.Layers).Select(i => new LlamaDecoderLayer(config, make, i)).ToArray());
        norm = make.RmsNorm(config.HiddenSize, config.NormEpsilon);
        Rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta ?? 10000, config.RopeScaling, make.Device);
        SlidingWindow = config.SlidingWindow;
        RegisterComponents();
    }

    public RotaryEmbedding Rotary { get; }

    private int? SlidingWindow { get; }

    /// <summary>(B, T) → the residual stream after the last layer (B, T, hidden), before the final norm.</summary>
    public Tensor forward(Tensor ids, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = ids.shape[1];
        var x = embed_tokens.forward(ids);                                          // (B, T, hidden)
        recorder?.Residual(0, x);
        var (cos, sin) = Rotary.For(past, length, x.dtype);                          // (T, head_dim)
        var mask = AttentionMask.IsPlainCausal(length, past, SlidingWindow) ? null : AttentionMask.Causal(length, past, SlidingWindow, x.device);
        for (var i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x, cos, sin, mask, cache, recorder);
            recorder?.Residual(i + 1, x);
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>One transformer block: x + attention(norm(x)), then + MLP(norm(·)) — "pre-norm" residual layout.</summary>
internal sealed class LlamaDecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    public LlamaDecoderLayer(ModelConfig config, Layers make, int index) : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = make.RmsNorm(config.HiddenSize, config.NormEpsilon);
        self_attn = new LlamaAttention(config, make, index);
        post_attention_layernorm = make.RmsNorm(config.HiddenSize, config.NormEpsilon);
        mlp = new LlamaMlp(config, make);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var h = x.add(self_attn.forward(input_layernorm.forward(x), cos, sin, mask, cache, recorder), Scalars.One);   // x + attention
        return h.add(mlp.forward(post_attention_layernorm.forward(h)), Scalars.One).MoveToOuterDisposeScope(); // h + MLP
    }
}

/// <summary>
/// Multi-head attention with grouped queries: <c>num_key_value_heads</c> key/value heads are shared by groups of
/// query heads (Mistral-7B: 32 query heads, 8 key/value heads), which shrinks the KV cache fourfold.
/// </summary>
internal sealed class LlamaAttention : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> q_proj;
    private readonly nn.Module<Tensor, Tensor> k_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;
    private readonly nn.Module<Tensor, Tensor> o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _layer;

    public LlamaAttention(ModelConfig config, Layers make, int layer) : base(nameof(LlamaAttention))
    {
        (_heads, _kvHeads, _headDim, _layer) = (config.Heads, config.KeyValueHeads, config.HeadDim, layer);
        q_proj = make.Linear(config.HiddenSize, _heads * _headDim, config.AttentionBias);
        k_proj = make.Linear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias);
        v_proj = make.Linear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias);
        o_proj = make.Linear(_heads * _headDim, config.HiddenSize, bias: false);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);   // (B, heads, T, d)
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2); // (B, kv_heads, T, d)
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);                        // (B, kv_heads, past + T, d)
        recorder?.Attention(_layer, q, k, mask, isCausal: mask is null);
        if (_kvHeads != _heads && length == 1) return o_proj.forward(GroupedQueryStep.Attend(q, k, v, mask)).MoveToOuterDisposeScope();
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0, is_casual: mask is null);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> gate_proj;
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;

    public LlamaMlp(ModelConfig config, Layers make) : base(nameof(LlamaMlp))
    {
        gate_proj = make.Linear(config.HiddenSize, config.IntermediateSize, bias: false);
        up_proj = make.Linear(config.HiddenSize, config.IntermediateSize, bias: false);
        down_proj = make.Linear(config.IntermediateSize, config.HiddenSize, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}
