using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Walkthrough.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Train;

/// <summary>One loss value of the run, for the model card's curve.</summary>
internal sealed record LossPoint(int Step, double Loss, double LearningRate, double Seconds);

/// <summary>
/// Plain next-token training: for every window, predict token t+1 from tokens ≤ t (cross-entropy over the whole
/// 32,000-token vocabulary), AdamW, linear warm-up then cosine decay, gradient clipping at 1.
/// </summary>
internal static class Trainer
{
    public static IReadOnlyList<LossPoint> Run(CausalLanguageModel model, TokenStream stream, int steps, TextWriter log)
    {
        Initialize(model);
        var parameters = model.parameters().ToList();
        // Norm weights are scales around 1: decaying them toward 0 would only fight the gradient.
        var decayed = model.named_parameters().Where(p => p.parameter.dim() >= 2).Select(p => p.parameter).ToList();
        var kept = model.named_parameters().Where(p => p.parameter.dim() < 2).Select(p => p.parameter).ToList();
        using var optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(decayed, new AdamW.Options { weight_decay = TinyModelRecipe.WeightDecay }),
                new AdamW.ParamGroup(kept, new AdamW.Options { weight_decay = 0 }),
            ],
            lr: TinyModelRecipe.PeakLearningRate, beta1: 0.9, beta2: 0.95);

        var history = new List<LossPoint>();
        using var windows = stream.Windows(TinyModelRecipe.Seed).GetEnumerator();
        var clock = Stopwatch.StartNew();
        model.train();
        for (var step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            var rate = LearningRate(step, steps);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;

            var batch = NextBatch(windows, TinyModelRecipe.BatchSize);                // (B, T + 1)
            var inputs = batch[.., ..^1];
            var targets = batch[.., 1..];
            var logits = model.forward(inputs, null);                                  // (B, T, vocab)
            var loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten());

            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, TinyModelRecipe.GradientClip);
            optimizer.step();

            var value = loss.item<float>();
            history.Add(new LossPoint(step, value, rate, clock.Elapsed.TotalSeconds));
            if (step == 1 || step % 10 == 0 || step == steps)
            {
                var perStep = clock.Elapsed.TotalSeconds / step;
                var tokensPerSecond = step * (double)batch.NumberOfElements / clock.Elapsed.TotalSeconds;
                log.WriteLine($"step {step,5}/{steps}  loss {value,7:0.0000}  lr {rate:0.00e0}  {tokensPerSecond,6:0} tok/s  " +
                              $"elapsed {clock.Elapsed:hh\\:mm\\:ss}  left {TimeSpan.FromSeconds(perStep * (steps - step)):hh\\:mm\\:ss}");
            }
        }
        model.eval();
        return history;
    }

    /// <summary>GPT-2's scheme: weights ~ N(0, 0.02), output projections scaled down by √(2·layers), norms at 1.</summary>
    private static void Initialize(CausalLanguageModel model)
    {
        var layers = model.named_parameters().Count(p => p.name.EndsWith("input_layernorm.weight", StringComparison.Ordinal));
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dim() < 2) parameter.fill_(1.0);
            else if (name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal))
                parameter.normal_(0, 0.02 / Math.Sqrt(2 * layers));
            else parameter.normal_(0, 0.02);
            parameter.requires_grad_(true);
        }
    }

    private static double LearningRate(int step, int steps)
    {
        if (step <= TinyModelRecipe.WarmupSteps) return TinyModelRecipe.PeakLearningRate * step / TinyModelRecipe.WarmupSteps;
        var progress = (double)(step - TinyModelRecipe.WarmupSteps) / Math.Max(1, steps - TinyModelRecipe.WarmupSteps);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return TinyModelRecipe.MinLearningRate + (TinyModelRecipe.PeakLearningRate - TinyModelRecipe.MinLearningRate) * cosine;
    }

    private static Tensor NextBatch(IEnumerator<int[]> windows, int size)
    {
        var rows = new long[size][];
        for (var i = 0; i < size; i++)
        {
            windows.MoveNext();
            rows[i] = windows.Current.Select(t => (long)t).ToArray();
        }
        return tensor(rows.SelectMany(r => r).ToArray(), int64).view(size, -1);
    }
}
