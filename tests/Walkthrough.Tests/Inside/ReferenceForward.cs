using Walkthrough.Architectures;
using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.Inside;

/// <summary>
/// A forward pass written again from the papers with plain double arrays — no tensor library, none of the kit's
/// code — from a model's weights: the independent reference the trace is tested against.
/// </summary>
internal sealed class ReferenceForward
{
    private readonly ModelConfig _config;
    private readonly Dictionary<string, double[]> _w;
    private readonly Dictionary<string, long[]> _shape;

    public ReferenceForward(ModelConfig config, CausalLanguageModel model)
    {
        _config = config;
        _w = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray().Select(v => (double)v).ToArray());
        _shape = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
    }

    /// <summary>Residual streams 0…N (T × hidden each), attention [layer][head][query][key], and logits (T × vocab).</summary>
    public (double[][][] Residuals, double[][][][] Attention, double[][] Logits) Run(int[] ids)
    {
        var family = _config.Architecture switch
        {
            Architecture.Mpt => "mpt",
            Architecture.Gpt2 => "gpt2",
            _ => "llama",
        };
        var embeddings = family == "llama" ? "model.embed_tokens.weight" : "transformer.wte.weight";
        var x = ids.Select((id, t) =>
        {
            var row = Row(embeddings, id);
            return family == "gpt2" ? Add(row, Row("transformer.wpe.weight", t)) : row;
        }).ToArray();
        var residuals = new List<double[][]> { x };
        var attention = new List<double[][][]>();
        for (var layer = 0; layer < _config.Layers; layer++)
        {
            var (next, probabilities) = family switch
            {
                "llama" => LlamaLayer(x, layer),
                "mpt" => MptLayer(x, layer),
                _ => Gpt2Layer(x, layer),
            };
            x = next;
            residuals.Add(x);
            attention.Add(probabilities);
        }
        var logits = x.Select(h => family switch
        {
            "llama" => MatVec(_w.ContainsKey("lm_head.weight") ? "lm_head.weight" : embeddings, RmsNorm(h, "model.norm.weight")),
            "mpt" => MatVec(embeddings, LayerNorm(h, "transformer.norm_f")),
            _ => MatVec(embeddings, LayerNorm(h, "transformer.ln_f")),
        }).ToArray();
        return (residuals.ToArray(), attention.ToArray(), logits);
    }

    // Llama / Mistral / Qwen2: RMSNorm, q/k/v (biases for Qwen2), RoPE (rotate-half pairs i, i + d/2), grouped
    // key/value heads, causal mask and Mistral's window, o_proj, then SwiGLU.
    private (double[][], double[][][]) LlamaLayer(double[][] x, int layer)
    {
        var p = $"model.layers.{layer}.";
        var (heads, kvHeads, d) = (_config.Heads, _config.KeyValueHeads, _config.HeadDim);
        var h = x.Select(r => RmsNorm(r, p + "input_layernorm.weight")).ToArray();
        var q = h.Select((r, t) => Rope(Linear(p + "self_attn.q_proj", r), t, heads, d)).ToArray();
        var k = h.Select((r, t) => Rope(Linear(p + "self_attn.k_proj", r), t, kvHeads, d)).ToArray();
        var v = h.Select(r => Linear(p + "self_attn.v_proj", r)).ToArray();
        var window = _config.SlidingWindow;
        var (merged, probabilities) = Attend(q, k, v, heads, kvHeads, d, (query, key, head) => key <= query && (window is not { } w || query - key < w) ? 0 : null);
        var after = x.Select((r, t) => Add(r, MatVec(p + "self_attn.o_proj.weight", merged[t]))).ToArray();
        var output = after.Select(r =>
        {
            var n = RmsNorm(r, p + "post_attention_layernorm.weight");
            var gate = MatVec(p + "mlp.gate_proj.weight", n);
            var up = MatVec(p + "mlp.up_proj.weight", n);
            return Add(r, MatVec(p + "mlp.down_proj.weight", gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray()));
        }).ToArray();
        return (output, probabilities);
    }

    // MPT: LayerNorm without bias, fused Wqkv clipped to ±clip_qkv, ALiBi added to the scores as the paper writes
    // it — slope_h × (key − query), slope_h = 2^(−8(h+1)/n) — causal mask, out_proj, GELU MLP.
    private (double[][], double[][][]) MptLayer(double[][] x, int layer)
    {
        var p = $"transformer.blocks.{layer}.";
        var (heads, d, hidden) = (_config.Heads, _config.HeadDim, _config.HiddenSize);
        Assert.True((heads & (heads - 1)) == 0, "the reference writes ALiBi's slopes for a power-of-two head count");
        var qkv = x.Select(r => MatVec(p + "attn.Wqkv.weight", LayerNorm(r, p + "norm_1")).Select(e => _config.ClipQkv is { } c ? Math.Clamp(e, -c, c) : e).ToArray()).ToArray();
        var q = qkv.Select(r => r[..hidden]).ToArray();
        var k = qkv.Select(r => r[hidden..(2 * hidden)]).ToArray();
        var v = qkv.Select(r => r[(2 * hidden)..]).ToArray();
        var (merged, probabilities) = Attend(q, k, v, heads, heads, d,
            (query, key, head) => key <= query ? Math.Pow(2, -_config.AlibiBiasMax * (head + 1) / heads) * (key - query) : null);
        var after = x.Select((r, t) => Add(r, MatVec(p + "attn.out_proj.weight", merged[t]))).ToArray();
        var output = after.Select(r => Add(r, MatVec(p + "ffn.down_proj.weight",
            MatVec(p + "ffn.up_proj.weight", LayerNorm(r, p + "norm_2")).Select(Gelu).ToArray()))).ToArray();
        return (output, probabilities);
    }

    // GPT-2: LayerNorm with bias, Conv1D (weight stored in × out), causal mask, tanh-GELU MLP.
    private (double[][], double[][][]) Gpt2Layer(double[][] x, int layer)
    {
        var p = $"transformer.h.{layer}.";
        var (heads, d, hidden) = (_config.Heads, _config.HeadDim, _config.HiddenSize);
        var qkv = x.Select(r => Conv1D(p + "attn.c_attn", LayerNorm(r, p + "ln_1"))).ToArray();
        var q = qkv.Select(r => r[..hidden]).ToArray();
        var k = qkv.Select(r => r[hidden..(2 * hidden)]).ToArray();
        var v = qkv.Select(r => r[(2 * hidden)..]).ToArray();
        var (merged, probabilities) = Attend(q, k, v, heads, heads, d, (query, key, _) => key <= query ? 0 : null);
        var after = x.Select((r, t) => Add(r, Conv1D(p + "attn.c_proj", merged[t]))).ToArray();
        var output = after.Select(r => Add(r, Conv1D(p + "mlp.c_proj",
            Conv1D(p + "mlp.c_fc", LayerNorm(r, p + "ln_2")).Select(e => 0.5 * e * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (e + 0.044715 * e * e * e)))).ToArray()))).ToArray();
        return (output, probabilities);
    }

    /// <summary>softmax(q·k/√d + bias) per head; bias null = the key is hidden. Returns the merged outputs and the probabilities.</summary>
    private static (double[][] Merged, double[][][] Probabilities) Attend(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int d,
        Func<int, int, int, double?> bias)
    {
        var length = q.Length;
        var merged = Enumerable.Range(0, length).Select(_ => new double[heads * d]).ToArray();
        var probabilities = new double[heads][][];
        for (var head = 0; head < heads; head++)
        {
            var kv = head / (heads / kvHeads); // the key/value head this query head shares
            probabilities[head] = new double[length][];
            for (var t = 0; t < length; t++)
            {
                var scores = new double[length];
                for (var s = 0; s < length; s++)
                {
                    var b = bias(t, s, head);
                    var dot = 0.0;
                    for (var i = 0; i < d; i++) dot += q[t][head * d + i] * k[s][kv * d + i];
                    scores[s] = b is { } add ? dot / Math.Sqrt(d) + add : double.NegativeInfinity;
                }
                var max = scores.Max();
                var exp = scores.Select(z => Math.Exp(z - max)).ToArray();
                var sum = exp.Sum();
                var row = exp.Select(e => e / sum).ToArray();
                probabilities[head][t] = row;
                for (var s = 0; s < length; s++)
                    for (var i = 0; i < d; i++) merged[t][head * d + i] += row[s] * v[s][kv * d + i];
            }
        }
        return (merged, probabilities);
    }

    private double[] Rope(double[] x, int position, int heads, int d)
    {
        var theta = _config.RopeTheta ?? 10000;
        var y = (double[])x.Clone();
        for (var head = 0; head < heads; head++)
            for (var i = 0; i < d / 2; i++)
            {
                var angle = position * Math.Pow(theta, -2.0 * i / d);
                var (a, b) = (x[head * d + i], x[head * d + i + d / 2]);
                y[head * d + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
                y[head * d + i + d / 2] = b * Math.Cos(angle) + a * Math.Sin(angle);
            }
        return y;
    }

    private double[] RmsNorm(double[] x, string weight)
    {
        var scale = 1 / Math.Sqrt(x.Average(e => e * e) + _config.NormEpsilon);
        return x.Select((e, i) => e * scale * _w[weight][i]).ToArray();
    }

    private double[] LayerNorm(double[] x, string prefix)
    {
        var mean = x.Average();
        var variance = x.Average(e => (e - mean) * (e - mean));
        var bias = _w.GetValueOrDefault(prefix + ".bias");
        return x.Select((e, i) => (e - mean) / Math.Sqrt(variance + _config.NormEpsilon) * _w[prefix + ".weight"][i] + (bias?[i] ?? 0)).ToArray();
    }

    private static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    // erf(x) = 2/√π ∫₀ˣ e^(−t²) dt by Simpson's rule: plain, and far inside 1e-9 with 2,000 steps.
    private static double Erf(double x)
    {
        const int steps = 2000;
        var h = x / steps;
        var sum = 1 + Math.Exp(-x * x);
        for (var i = 1; i < steps; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    private double[] Linear(string prefix, double[] x)
    {
        var y = MatVec(prefix + ".weight", x);
        return _w.TryGetValue(prefix + ".bias", out var b) ? Add(y, b) : y;
    }

    // y = W x for W stored (out, in).
    private double[] MatVec(string weight, double[] x)
    {
        var (rows, columns) = ((int)_shape[weight][0], (int)_shape[weight][1]);
        var w = _w[weight];
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) y[r] += w[r * columns + c] * x[c];
        return y;
    }

    // y = x W + b for W stored (in, out), GPT-2's Conv1D.
    private double[] Conv1D(string prefix, double[] x)
    {
        var (rows, columns) = ((int)_shape[prefix + ".weight"][0], (int)_shape[prefix + ".weight"][1]);
        var w = _w[prefix + ".weight"];
        var y = (double[])_w[prefix + ".bias"].Clone();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) y[c] += x[r] * w[r * columns + c];
        return y;
    }

    private double[] Row(string weight, int index)
    {
        var columns = (int)_shape[weight][1];
        return _w[weight][(index * columns)..((index + 1) * columns)];
    }

    private static double[] Add(double[] a, double[] b) => a.Select((e, i) => e + b[i]).ToArray();
}
