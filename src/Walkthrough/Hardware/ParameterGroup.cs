namespace Walkthrough.Hardware;

/// <summary>The parts of a model a parameter count is broken into.</summary>
public enum ModelPart
{
    /// <summary>Token embeddings, and GPT-2's learned position embeddings.</summary>
    Embeddings,
    Attention,
    Mlp,
    /// <summary>RMSNorm / LayerNorm scales (and LayerNorm biases where the model has them).</summary>
    Norms,
    /// <summary>The untied output head (lm_head); a tied head reuses the embeddings and adds nothing.</summary>
    OutputHead,
}

/// <summary>What a tensor is, which decides how <see cref="WeightStorage"/> stores it at int8 and int4.</summary>
public enum TensorRole
{
    /// <summary>A Linear layer's weight matrix: the only tensors int8 and int4 shrink.</summary>
    LinearWeight,
    Bias,
    Embedding,
    Norm,
}

/// <summary>
/// Tensors of one shape that play the same role in every layer, e.g. the 32 <c>q_proj.weight</c> of Mistral-7B:
/// <c>Copies</c> × (<c>Rows</c> × <c>Columns</c>). For a Linear weight, rows are output features and columns input
/// features, whatever layout the checkpoint stores (GPT-2's Conv1D keeps the transpose, (in, out)).
/// </summary>
public sealed record ParameterGroup(string Name, ModelPart Part, TensorRole Role, long Rows, long Columns, long Copies)
{
    /// <summary>Numbers in all copies.</summary>
    public long Count => Rows * Columns * Copies;
}
