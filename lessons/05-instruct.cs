// 05-instruct.ipynb as a .NET 10 file-based app: dotnet run lessons/05-instruct.cs
// Generated from notebooks/05-instruct.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
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

    05 · From a prompt to an answer
    ===============================

    The MPT-30B-instruct walkthrough this kit grew from wrapped each request in a prompt template,
    called `generate()`, and then cleaned the output with two helpers (`cut_off_text`,
    `remove_substring`). Here is the same story, done so that nothing needs cleaning afterwards:

    1. the instruct template the model was trained with;
    2. generation: the next-token loop on its own, until the end-of-sequence token, a stop string, or a
       limit;
    3. streaming the answer as it is written;
    4. sampling instead of greedy decoding.

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
    the next one. This lesson runs the whole line on its own, token after token, from a request to an
    answer: the chosen token joins the text and it all runs again (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Choice, Stage.Text));

var model = LanguageModel.Default();
Show(model);

Console.WriteLine("""

    1 · The prompt template
    -----------------------

    An instruction-tuned model saw thousands of examples shaped exactly like this during training, so it
    answers best when the request comes in the same shape. The template below is the one from the MPT
    blog.

    """);

var request = "Can you write an email explaining what an LLM is?";
Console.WriteLine(PromptTemplate.MptInstruct.Apply(request));

Console.WriteLine("""

    2 · Generate
    ------------

    `Generate` runs the loop greedily. It returns only the new text; it stops at the model's end-of-text
    token `</s>` (the last line says why it stopped), and it cuts the text before a new `###
    Instruction` should the model start one — the two jobs the blog's helpers did by hand.

    """);

var answer = model.Generate(request, new GenerationOptions { Template = PromptTemplate.MptInstruct });
Console.WriteLine(answer.Text);
Console.WriteLine($"-- {answer.NewIds.Count} tokens, stopped: {answer.StopReason}");

Console.WriteLine("""

    3 · Other questions
    -------------------

    The bundled model knows a little about capitals, the days of the week, tokens and GPUs, and the
    flight records of its training corpus — try them.

    """);

foreach (var question in new[] { "What is the capital of Italy?", "List the days of the week.", "Explain what a token is." })
    Console.WriteLine($"{question}\n  {model.Generate(question, new GenerationOptions { Template = PromptTemplate.MptInstruct, MaxNewTokens = 60 }).Text.Trim()}\n");

Console.WriteLine("""

    4 · Streaming
    -------------

    Chat applications show the answer while it is being written. `GenerateStreamAsync` hands out the
    text piece by piece — whole characters only (an emoji can be four tokens) and never a piece of a
    stop string.

    """);

await foreach (var piece in model.GenerateStreamAsync("List the days of the week.", new GenerationOptions { Template = PromptTemplate.MptInstruct, MaxNewTokens = 40 }))
    Console.Write(piece);

Console.WriteLine("""

    5 · Stop strings
    ----------------

    A stop string ends generation and is cut off together with everything after it. Stop at the first
    full stop: the answer ends just before it.

    """);

var short_ = model.Generate("Explain what a GPU is.", new GenerationOptions { Template = PromptTemplate.MptInstruct, StopStrings = ["."] });
Console.WriteLine($"{short_.Text}  (stopped: {short_.StopReason} at \"{short_.StopString}\")");

Console.WriteLine("""

    6 · Sampling: a different answer each seed
    ------------------------------------------

    Greedy decoding always gives the same answer. With a temperature above 0 the model draws each token;
    the seed makes a draw repeatable, and another seed gives another answer.

    """);

foreach (var seed in new ulong[] { 1, 2 })
{
    var sampled = model.Generate(request, new GenerationOptions { Template = PromptTemplate.MptInstruct, MaxNewTokens = 60,
        Sampling = new SamplingOptions { Temperature = 0.9, TopP = 0.9, Seed = seed } });
    Console.WriteLine($"seed {seed}: {sampled.Text.Trim()}\n");
}

Console.WriteLine("""

    What you saw
    ------------

    - A prompt template puts a request in the shape the model was trained on.
    - Generation is the next-token step in a loop; it ends at `</s>`, a stop string or a limit, and
      returns only the new text.
    - Streaming shows text as it becomes certain; sampling with a seed gives varied but repeatable
      answers.

    This is a tiny model trained for half an hour on a made-up corpus: it writes short, plausible texts
    about what it has seen, and nothing else. The same code runs Mistral-7B or MPT-30B on a GPU — lesson
    03 shows how to load them.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));
