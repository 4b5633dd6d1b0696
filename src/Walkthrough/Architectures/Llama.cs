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
        var logits = lm_head is null ? MatrixVector.Linear(hidden, model.embed_tokens.Weight, bias: null) : lm_head.forward(hidden);
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
        var length = ids.size(1);
        var x = embed_tokens.forward(ids);                                          // (B, T, hidden)
        recorder?.Residual(0, x);
        var (cos, sin) = Rotary.For(past, length, x.dtype);                          // (T, head_dim), sin signed: see Apply
        var mask = AttentionMask.For(length, past, SlidingWindow, x.device);
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
        // Each sum is written into the block's own fresh output: no new tensor for it.
        var h = self_attn.forward(input_layernorm.forward(x), cos, sin, mask, cache, recorder).add_(x, Scalars.One);   // x + attention
        return mlp.forward(post_attention_layernorm.forward(h)).add_(h, Scalars.One).MoveToOuterDisposeScope();       // h + MLP
    }
}

/// <summary>
/// Multi-head attention with grouped queries: <c>num_key_value_heads</c> key/value heads are shared by groups of
/// query heads (Mistral-7B: 32 query heads, 8 key/value heads), which shrinks the KV cache fourfold.
/// </summary>
internal sealed class LlamaAttention : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> q_proj; // the checkpoint's layers; the pass multiplies these three through _qkv
    private readonly nn.Module<Tensor, Tensor> k_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;
    private readonly nn.Module<Tensor, Tensor> o_proj;
    private readonly SharedInput _qkv; // q_proj, k_proj and v_proj multiplied as one
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _layer;

    public LlamaAttention(ModelConfig config, Layers make, int layer) : base(nameof(LlamaAttention))
    {
        (_heads, _kvHeads, _headDim, _layer) = (config.Heads, config.KeyValueHeads, config.HeadDim, layer);
        _qkv = make.SharedInput(config.HiddenSize, [_heads * _headDim, _kvHeads * _headDim, _kvHeads * _headDim], config.AttentionBias);
        (q_proj, k_proj, v_proj) = (_qkv.Layers[0], _qkv.Layers[1], _qkv.Layers[2]);
        o_proj = make.Linear(_heads * _headDim, config.HiddenSize, bias: false);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.size(0), x.size(1));
        // q, k and v heads in a row: (B, heads + 2·kv_heads, T, d); queries and keys are rotated together.
        var qkv = _qkv.forward(x).view(batch, length, _heads + 2 * _kvHeads, _headDim).transpose(1, 2);
        var qk = RotaryEmbedding.Apply(qkv.narrow(1, 0, _heads + _kvHeads), cos, sin);
        var q = qk.narrow(1, 0, _heads);                                                   // (B, heads, T, d)
        var k = qk.narrow(1, _heads, _kvHeads);                                            // (B, kv_heads, T, d)
        var v = qkv.narrow(1, _heads + _kvHeads, _kvHeads);
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);                        // (B, kv_heads, past + T, d)
        var causal = AttentionMask.IsCausal(mask, length);
        recorder?.Attention(_layer, q, k, mask, causal);
        if (_kvHeads != _heads && length == 1) return o_proj.forward(GroupedQueryStep.Attend(q, k, v, mask)).MoveToOuterDisposeScope();
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0, is_casual: causal);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _qkv.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> gate_proj; // the checkpoint's layers; the pass multiplies these two through _gateUp
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;
    private readonly SharedInput _gateUp; // gate_proj and up_proj multiplied as one
    private readonly long _intermediate;

    public LlamaMlp(ModelConfig config, Layers make) : base(nameof(LlamaMlp))
    {
        _intermediate = config.IntermediateSize;
        _gateUp = make.SharedInput(config.HiddenSize, [_intermediate, _intermediate], bias: false);
        (gate_proj, up_proj) = (_gateUp.Layers[0], _gateUp.Layers[1]);
        down_proj = make.Linear(config.IntermediateSize, config.HiddenSize, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gateUp = _gateUp.forward(x);                                                  // gate(x) ‖ up(x)
        var hidden = OneToken.Applies(gateUp)
            ? OneToken.SwiGlu(gateUp)                                                     // a decode step's token
            : gateUp.narrow(-1, 0, _intermediate).silu().mul_(gateUp.narrow(-1, _intermediate, _intermediate)); // in place on silu's output
        return down_proj.forward(hidden).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gateUp.Dispose();
        base.Dispose(disposing);
    }
}
