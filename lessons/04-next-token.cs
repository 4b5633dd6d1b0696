// 04-next-token.ipynb as a .NET 10 file-based app: dotnet run lessons/04-next-token.cs
// Generated from notebooks/04-next-token.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
#:property UsesLibTorch=true
// On an NVIDIA GPU, set the next line to true: it swaps the CPU build of libtorch for the CUDA one.
#:property WalkthroughCuda=false
#:project ../src/Walkthrough/Walkthrough.csproj

using System.IO;
using Walkthrough;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Display;

Console.WriteLine("""

    04 · Predicting the next token, step by step
    ============================================

    A language model does one thing: given the tokens so far, it gives a score (a logit) to every token
    of its vocabulary for being the next one. Everything else — answers, e-mails, code — is that one
    step repeated.

    In this lesson you will watch one step closely:

    1. the logits and how the softmax turns them into probabilities;
    2. how temperature sharpens or flattens them, and how top-k, top-p and min-p cut the candidates;
    3. which token is chosen and why — and what happens when you choose instead;
    4. the KV cache: why the second step is so much cheaper than the first.

    The model is the kit's own: `walkthrough-tiny`, a 8.5-million-parameter Mistral trained on a small
    made-up corpus (see `data/models/walkthrough-tiny/README.md`). It runs on any CPU.

    """);

Console.WriteLine("""

    Set-up
    ------

    The same first cell as in every lesson: the kit (built by the README's set-up into
    `artifacts/packages`) and the CPU build of TorchSharp. On an NVIDIA GPU, replace `TorchSharp-cpu` by
    `TorchSharp-cuda-linux` (or `TorchSharp-cuda-windows`) — the only change. Its output checks the
    machine: a red line says what to fix.

    """);

Show(Doctor.Check());

Console.WriteLine("""

    Where this lesson is
    --------------------

    Every answer comes out of the same line of six stations, run once for each new piece of text: your
    text is cut into tokens; each token becomes a vector — a list of numbers; the layers mix those
    vectors, again and again; the last layer gives a logit, a score, to every token the model knows; one
    token is chosen, added to the text, and the line runs again. Think of your phone's autocomplete,
    taken very seriously: it never plans a whole answer, it only ever picks the next piece — and then
    the next one. This lesson is the last two stations: the scores and the choice (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Logits, Stage.Choice));

Console.WriteLine("""

    1 · Load the model
    ------------------

    The bundled model is small enough for any CPU. Its description says the architecture and the number
    of parameters.

    """);

var model = LanguageModel.Default();
Show(model);

Console.WriteLine("""

    2 · One step
    ------------

    We give the model the start of a sequence whose next word is obvious to any reader. `Next()` runs
    the model once and shows the ten best candidates: each token's logit (the raw score), its
    probability after the softmax, and the running total. The chosen row is highlighted — with greedy
    decoding, always rank 1.

    """);

var session = model.Start("Monday, Tuesday, Wednesday,");
var step = session.Next();
Show(step);

Console.WriteLine("""

    The same candidates as a chart. Notice how much of the probability the first candidate holds: the
    axis is a log scale, each step down ten times less likely, so the runners-up show at all.

    """);

Show(step.Chart());

Console.WriteLine("""

    3 · Softmax by hand
    -------------------

    The model gives one logit to every token of its 32,000-token vocabulary. The probabilities are their
    softmax: p_i = e^(z_i) / Σ_j e^(z_j). Here it is for the first candidate, computed from the logits
    themselves — it matches the table.

    """);

var logits = step.Logits;
var max = logits.Max();
var denominator = logits.Sum(z => Math.Exp(z - max));
var first = step.Candidates[0];
Console.WriteLine($"{logits.Length:N0} logits; {first.Text}: e^(z - max) / sum = {Math.Exp(first.Logit - max) / denominator:0.0000}  (table: {first.Probability:0.0000})");

Console.WriteLine("""

    4 · Temperature
    ---------------

    Dividing the logits by a temperature before the softmax changes how peaked the distribution is:
    below 1 the favourite gains, above 1 the others catch up. The top candidates at three temperatures,
    in one chart:

    """);

Show(StepCharts.Temperatures(step, [0.5, 1.0, 2.0]));

Console.WriteLine("""

    5 · Sampling with rules
    -----------------------

    Greedy decoding always takes rank 1. Sampling draws a token at random according to the probabilities
    — after the rules have cut the unlikely ones: top-k keeps the k best, top-p the fewest whose
    probabilities add up to p, min-p those at least a fraction of the best. The draw is seeded, so the
    same seed gives the same text. In the table, the rows a rule cut are greyed, and the last column
    names the rule: here top-p 0.9 keeps the five tokens that together reach 0.9, and the draw picks
    among those five only.

    """);

var options = new SamplingOptions { Temperature = 1.2, TopK = 20, TopP = 0.9, Seed = 7 };
var sampled = model.Start("The capital of France is", options);
Show(sampled.Next());

Console.WriteLine("""

    6 · A few steps in a row
    ------------------------

    Each step appends the chosen token and predicts again — until the model chooses its end-of-text
    token `</s>`, its way of saying the answer is complete (the loop also stops after eight steps). The
    heatmap shows, for every step (a column), the probability of each token that was ever among the top
    candidates.

    """);

var capital = model.Start("What is the capital of Japan? The capital of Japan is");
while (!capital.Ended && capital.Steps.Count < 8) capital.Next();
Console.WriteLine($"{capital.NewText}   ({capital.Steps.Count} steps; the last chose {capital.Steps[^1].Chosen.Text}, ended: {capital.Ended})");
Show(capital.Heatmap());

Console.WriteLine("""

    How sure was the model at each step? The probability of the chosen token, and the entropy of the
    whole distribution (0 bits = certain; higher = unsure).

    """);

Show(capital.Confidence());

Console.WriteLine("""

    Past the end
    ------------

    What if the loop ignored `</s>`? The model was trained on documents strung together, each ending in
    `</s>` and the next beginning with `<s>`; after the end token it expects a new document — here, a
    new instruction that has nothing to do with the question. The tokens it chooses when it is not
    stopped:

    """);

var unstopped = model.Start("What is the capital of Japan? The capital of Japan is");
for (var i = 0; i < 8; i++) unstopped.Next();
Console.WriteLine(string.Join(" ", unstopped.Steps.Select(s => s.Chosen.Text)));

Console.WriteLine("""

    Lesson 05's `Generate` stops at `</s>` for that reason, and returns only the text before it.

    """);

Console.WriteLine("""

    7 · Your choice instead of the model's
    --------------------------------------

    `Force` appends a token you pick — the step still shows what the model would have preferred. Force "
    Friday" where the model wanted " Thursday", then let it continue: it picks up the pattern from your
    token.

    """);

var forced = model.Start("Monday, Tuesday, Wednesday,");
forced.Force(" Friday");
for (var i = 0; i < 4; i++) forced.Next();
Console.WriteLine("Monday, Tuesday, Wednesday," + forced.NewText);

Console.WriteLine("""

    8 · The KV cache
    ----------------

    To predict a token, attention needs the keys and values of every earlier token. Without a cache the
    model recomputes them all at every step; with the KV cache it keeps them, and each step after the
    first computes one new token. The logits are the same either way — their largest difference is a
    rounding in the fifth decimal or below — only the work differs. The times are this machine's,
    measured as the cell ran: step 0 reads the whole prompt either way and may pay one-time costs
    (memory, kernels) besides; later steps show what the cache saves — little on a prompt this short,
    most of each step's work on a long text.

    """);

var withCache = model.Start("Can you write an email explaining what an LLM is?", useCache: true);
var withoutCache = model.Start("Can you write an email explaining what an LLM is?", useCache: false);
for (var i = 0; i < 5; i++)
{
    var (a, b) = (withCache.Next(), withoutCache.Next());
    var difference = a.Logits.Zip(b.Logits).Max(p => Math.Abs(p.First - p.Second));
    Console.WriteLine($"step {i}: {a.Chosen.Text,-10} computed {a.TokensComputed,3} vs {b.TokensComputed,3} tokens, {a.Elapsed.TotalMilliseconds,5:0.0} vs {b.Elapsed.TotalMilliseconds,5:0.0} ms, largest logit difference {difference:0.000000}");
}

Console.WriteLine("""

    What you saw
    ------------

    - At every step the model scores all 32,000 tokens; the softmax turns scores into probabilities.
    - Temperature reshapes the distribution; top-k, top-p and min-p cut it; greedy takes the best,
      sampling draws.
    - The model says when the text is over, with `</s>`; past it, it starts an unrelated text.
    - Choosing a different token changes everything that follows — the model continues from its text,
      whatever it is.
    - The KV cache makes each new token cost one token of work instead of the whole text, with the same
      results.

    Next: lesson 05 runs this loop on its own to write an answer, with a prompt template and stop
    strings.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));
