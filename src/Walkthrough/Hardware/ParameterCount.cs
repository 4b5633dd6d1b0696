using Walkthrough.Checkpoints;

namespace Walkthrough.Hardware;

/// <summary>
/// Every parameter of a model, counted from its config.json alone — before a single weight is read. Each
/// architecture lists its tensors as its Hugging Face checkpoint names them, so the count can be checked tensor by
/// tensor against a real checkpoint. <code>var count = ParameterCount.Of(config); // Mistral-7B: 7,241,732,096</code>
/// </summary>
public sealed record ParameterCount(IReadOnlyList<ParameterGroup> Groups)
{
    public long Total => Groups.Sum(g => g.Count);

    /// <summary>Parameters in one part of the model (0 for a tied output head).</summary>
    public long Of(ModelPart part) => Groups.Where(g => g.Part == part).Sum(g => g.Count);

    /// <summary>Counts the parameters a config describes; a config without the numbers the count needs is an error.</summary>
    public static ParameterCount Of(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigKeys.RequirePositive(config);
        return new ParameterCount(config.Architecture switch
        {
            Architecture.Llama or Architecture.Mistral or Architecture.Qwen2 => LlamaFamily(config),
            Architecture.Mpt => Mpt(config),
            Architecture.Gpt2 => Gpt2(config),
            _ => throw new WalkthroughException($"No parameter count for {config.Architecture}."),
        });
    }

    // Llama, Mistral and Qwen2 share one layout; Mistral differs only in its attention window (no parameters),
    // Qwen2 in biases on q, k and v (attention_bias, also honoured for Llama's q, k, v as the kit builds them).
    private static List<ParameterGroup> LlamaFamily(ModelConfig c)
    {
        long d = c.HiddenSize, layers = c.Layers, q = (long)c.Heads * c.HeadDim, kv = (long)c.KeyValueHeads * c.HeadDim;
        var groups = new List<ParameterGroup>
        {
            new("model.embed_tokens.weight", ModelPart.Embeddings, TensorRole.Embedding, c.VocabularySize, d, 1),
            new("self_attn.q_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, q, d, layers),  // (heads·head_dim, hidden)
            new("self_attn.k_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, kv, d, layers), // (kv_heads·head_dim, hidden)
            new("self_attn.v_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, kv, d, layers),
            new("self_attn.o_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, d, q, layers),
        };
        if (c.AttentionBias)
        {
            groups.Add(new("self_attn.q_proj.bias", ModelPart.Attention, TensorRole.Bias, q, 1, layers));
            groups.Add(new("self_attn.k_proj.bias", ModelPart.Attention, TensorRole.Bias, kv, 1, layers));
            groups.Add(new("self_attn.v_proj.bias", ModelPart.Attention, TensorRole.Bias, kv, 1, layers));
        }
        groups.AddRange(
        [
            new("mlp.gate_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, c.IntermediateSize, d, layers),
            new("mlp.up_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, c.IntermediateSize, d, layers),
            new("mlp.down_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, d, c.IntermediateSize, layers),
            new("input_layernorm.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("post_attention_layernorm.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("model.norm.weight", ModelPart.Norms, TensorRole.Norm, d, 1, 1),
        ]);
        if (!c.TiedEmbeddings)
            groups.Add(new("lm_head.weight", ModelPart.OutputHead, TensorRole.LinearWeight, c.VocabularySize, d, 1));
        return groups;
    }

    // MPT: one fused Wqkv projection, LayerNorm without bias when no_bias (every published MPT), no position
    // embeddings (ALiBi), and the output head always tied to wte.
    private static List<ParameterGroup> Mpt(ModelConfig c)
    {
        long d = c.HiddenSize, layers = c.Layers;
        var groups = new List<ParameterGroup>
        {
            new("transformer.wte.weight", ModelPart.Embeddings, TensorRole.Embedding, c.VocabularySize, d, 1),
            new("norm_1.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("attn.Wqkv.weight", ModelPart.Attention, TensorRole.LinearWeight, 3 * d, d, layers), // (3·hidden, hidden)
            new("attn.out_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, d, d, layers),
            new("norm_2.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("ffn.up_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, c.IntermediateSize, d, layers),
            new("ffn.down_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, d, c.IntermediateSize, layers),
            new("transformer.norm_f.weight", ModelPart.Norms, TensorRole.Norm, d, 1, 1),
        };
        if (c.LinearBias)
        {
            groups.AddRange(
            [
                new("norm_1.bias", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
                new("attn.Wqkv.bias", ModelPart.Attention, TensorRole.Bias, 3 * d, 1, layers),
                new("attn.out_proj.bias", ModelPart.Attention, TensorRole.Bias, d, 1, layers),
                new("norm_2.bias", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
                new("ffn.up_proj.bias", ModelPart.Mlp, TensorRole.Bias, c.IntermediateSize, 1, layers),
                new("ffn.down_proj.bias", ModelPart.Mlp, TensorRole.Bias, d, 1, layers),
                new("transformer.norm_f.bias", ModelPart.Norms, TensorRole.Norm, d, 1, 1),
            ]);
        }
        return groups;
    }

    // GPT-2: learned position embeddings (wpe), biases on every Linear and LayerNorm, Conv1D weights stored
    // transposed (in, out) — listed here as (out, in) like every other Linear — and the head tied to wte.
    private static List<ParameterGroup> Gpt2(ModelConfig c)
    {
        long d = c.HiddenSize, layers = c.Layers, ff = c.IntermediateSize;
        return
        [
            new("transformer.wte.weight", ModelPart.Embeddings, TensorRole.Embedding, c.VocabularySize, d, 1),
            new("transformer.wpe.weight", ModelPart.Embeddings, TensorRole.Embedding, c.MaxPositions, d, 1),
            new("ln_1.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("ln_1.bias", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("attn.c_attn.weight", ModelPart.Attention, TensorRole.LinearWeight, 3 * d, d, layers), // stored (hidden, 3·hidden)
            new("attn.c_attn.bias", ModelPart.Attention, TensorRole.Bias, 3 * d, 1, layers),
            new("attn.c_proj.weight", ModelPart.Attention, TensorRole.LinearWeight, d, d, layers),
            new("attn.c_proj.bias", ModelPart.Attention, TensorRole.Bias, d, 1, layers),
            new("ln_2.weight", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("ln_2.bias", ModelPart.Norms, TensorRole.Norm, d, 1, layers),
            new("mlp.c_fc.weight", ModelPart.Mlp, TensorRole.LinearWeight, ff, d, layers), // stored (hidden, inner)
            new("mlp.c_fc.bias", ModelPart.Mlp, TensorRole.Bias, ff, 1, layers),
            new("mlp.c_proj.weight", ModelPart.Mlp, TensorRole.LinearWeight, d, ff, layers),
            new("mlp.c_proj.bias", ModelPart.Mlp, TensorRole.Bias, d, 1, layers),
            new("transformer.ln_f.weight", ModelPart.Norms, TensorRole.Norm, d, 1, 1),
            new("transformer.ln_f.bias", ModelPart.Norms, TensorRole.Norm, d, 1, 1),
        ];
    }
}
