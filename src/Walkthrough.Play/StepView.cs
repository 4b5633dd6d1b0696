using Walkthrough.Inference;
using Walkthrough.Tokens;

namespace Walkthrough.Play;

/// <summary>
/// One token the page added, as its chip shows it: the token, how likely the model found it, and the rule that chose
/// it. The probability is the model's own (temperature 1), so a chip's colour means the same whatever the sliders said.
/// </summary>
/// <param name="Chance">The probability under the step's rule (its temperature), as the step's table lists it.</param>
internal sealed record StepView(int Step, int Id, string Token, bool Special, float Logit, double Probability, double Chance, int Rank, string Rule)
{
    public static StepView Of(NextTokenStep step, Tokenizer tokenizer)
    {
        var chosen = step.Chosen;
        var modelsOwn = Sampling.Softmax(step.Logits)[chosen.Id];
        return new StepView(step.Step, chosen.Id, chosen.Text, tokenizer.IsSpecial(chosen.Id), chosen.Logit, modelsOwn,
            chosen.Probability, chosen.Rank, step.Rule);
    }
}
