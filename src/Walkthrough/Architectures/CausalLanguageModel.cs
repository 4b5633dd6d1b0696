using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace Walkthrough.Architectures;

/// <summary>
/// What every architecture is to the rest of the kit: token ids in, next-token logits out, optionally with a
/// <see cref="KvCache"/> holding the keys and values of the tokens already seen; and, for a trace, a
/// <see cref="ForwardRecorder"/> that sees the inside of the pass.
/// </summary>
internal abstract class CausalLanguageModel(string name) : nn.Module<Tensor, KvCache?, Tensor>(name)
{
    public sealed override Tensor forward(Tensor ids, KvCache? cache) => forward(ids, cache, recorder: null);

    /// <summary>(B, T) → (B, T, vocab); a recorder, when given, is told the residual stream and attention as they pass.</summary>
    public Tensor forward(Tensor ids, KvCache? cache, ForwardRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        return Unembed(Residual(ids, cache, recorder)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits for the last position only, (B, 1, vocab): all next-token prediction reads. The output head then runs
    /// once, not once per prompt token — on the bundled model it is 6.1 M of 8.5 M multiply-adds a token, so a
    /// 128-token prefill does about a third of the work.
    /// </summary>
    public Tensor LastLogits(Tensor ids, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var residual = Residual(ids, cache, recorder: null);
        return Unembed(residual.narrow(1, residual.size(1) - 1, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>(B, T) → the residual stream after the last layer (B, T, hidden), before the final norm.</summary>
    protected abstract Tensor Residual(Tensor ids, KvCache? cache, ForwardRecorder? recorder);

    /// <summary>The final norm and the output head applied to a residual stream (…, hidden) → (…, vocab): the logit lens.</summary>
    public abstract Tensor Unembed(Tensor residual);

    /// <summary>The token embedding matrix (vocab, hidden): row i is token i's vector.</summary>
    public abstract Tensor TokenEmbeddings { get; }

    /// <summary>Builds the module tree for a config, parameters empty, on the device in the dtype; int8 swaps in 8-bit Linear layers.</summary>
    public static CausalLanguageModel Create(ModelConfig config, ScalarType dtype, Device device, bool int8) => config.Architecture switch
    {
        Architecture.Llama or Architecture.Mistral or Architecture.Qwen2 => new LlamaForCausalLM(config, new Layers(dtype, device, int8)),
        Architecture.Mpt => new MptForCausalLM(config, new Layers(dtype, device, int8)),
        Architecture.Gpt2 => new Gpt2LMHeadModel(config, new Layers(dtype, device, int8)),
        _ => throw new WalkthroughException($"No implementation for {config.Architecture}."),
    };

    /// <summary>Checkpoint tensor name for one of this module's parameter names, where they differ.</summary>
    public virtual string CheckpointName(string parameterName) => parameterName;

    /// <summary>Parameters a checkpoint may omit because they share another's storage (tied output head).</summary>
    public virtual bool IsTied(string parameterName) => false;
}

/// <summary>Makes the layers of a model in one dtype on one device, Linear layers in 8 bits when asked.</summary>
internal sealed record Layers(ScalarType Dtype, Device Device, bool Int8)
{
    public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures, bool bias) => Int8
        ? new Int8Linear(inFeatures, outFeatures, bias, Dtype, Device)
        : new Linear(inFeatures, outFeatures, bias, Dtype, Device);

    /// <summary>Linear layers with one input, multiplied as one: see <see cref="Architectures.SharedInput"/>.</summary>
    public SharedInput SharedInput(long inFeatures, long[] outFeatures, bool bias) => new(inFeatures, outFeatures, bias, this);

    public Embedding Embedding(long count, long dimension) => new(count, dimension, Dtype, Device);

    public RmsNorm RmsNorm(long hidden, double epsilon) => new(hidden, epsilon, Dtype, Device);

    public LayerNorm LayerNorm(long hidden, double epsilon, bool bias) => new(hidden, epsilon, bias, Dtype, Device);
}
