// 05-inside.ipynb as a .NET 10 file-based app: dotnet run lessons/05-inside.cs
// Generated from notebooks/05-inside.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
#:property UsesLibTorch=true
// On an NVIDIA GPU, set the next line to true: it swaps the CPU build of libtorch for the CUDA one.
#:property WalkthroughCuda=false
#:project ../src/Walkthrough/Walkthrough.csproj

using System.IO;
using Walkthrough;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;
using Walkthrough.Display;
using Walkthrough.Inside;

Console.WriteLine("""

    05 · Inside the model: vectors, attention and what each layer predicts
    ======================================================================

    Lesson 04 treated the model as a box: tokens go in, a score for every token of the vocabulary comes
    out. This lesson opens the box, on the same prompt, "Monday, Tuesday, Wednesday,":

    1. each token becomes a vector, a row of numbers from the embedding matrix — and tokens used alike
       get rows that point alike;
    2. in every layer, attention lets each token take in the tokens before it — never the ones after;
    3. the logit lens reads what the model would predict after each layer, so you watch the answer form.

    The model is the kit's own `walkthrough-tiny`, small enough for any CPU: every picture is computed
    from its real weights as the cells run.

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
    the next one. This lesson opens the two stations in the middle, where the model does its reading:
    the vectors and the layers (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Vectors, Stage.Layers));

Console.WriteLine("""

    A picture to keep in mind
    -------------------------

    Think of the prompt's tokens as guests seated along a table, in the order they arrived. Each guest
    brings a card of numbers — its embedding: the same card every time that token comes, whatever the
    sentence. Then the table talks, in rounds, one round per layer. In a round every guest listens to
    the guests seated before it — never to those after, who have not arrived yet — to some more closely
    than to others: attention is who listens to whom. What a guest hears, it writes into its own
    notebook, below what is already there: the notebook is the residual stream, and each layer adds to
    it instead of starting afresh. After the last round, the last guest reads its notebook out as a
    guess for the word that comes next.

    """);

Console.WriteLine("""

    1 · Load the model
    ------------------

    The bundled model and the prompt of lesson 04, whose next token the model knows.

    """);

var model = LanguageModel.Default();
var prompt = "Monday, Tuesday, Wednesday,";
Show(model);

Console.WriteLine("""

    2 · A token becomes a vector
    ----------------------------

    The model keeps one table with a row for every token of its vocabulary: 32,000 rows of 192 numbers.
    A table of numbers is a matrix — the third key term of the seed notebook, after tokens and
    embeddings — and a token's id is simply a row number in it. Here is the row of " Monday" (the
    vocabulary writes it ▁Monday, ▁ for the space): its first numbers, and its length, as if the 192
    numbers were an arrow in a space of 192 directions.

    """);

Console.WriteLine($"{model.Embeddings.Count:N0} rows × {model.Embeddings.Dimension} numbers");
Show(model.Embeddings.Of(" Monday"));

Console.WriteLine("""

    3 · The matrix, row by row
    --------------------------

    The prompt's seven tokens, each as its row of the matrix — the first 12 of its 192 numbers, red
    above zero and blue below. Look at the three commas: the same token gets the same row, to the last
    digit. At this point the model cannot tell the first comma from the last; only the layers will, by
    what each comma listens to.

    """);

Show(model.Embeddings.Rows(model.Tokenizer.Encode(prompt), columns: 12).Chart());

Console.WriteLine("""

    4 · Tokens used alike point alike
    ---------------------------------

    Two rows point the same way when their cosine similarity is near 1, and are unrelated near 0. Nobody
    told the model what a day is, yet the row nearest to ▁Monday's is ▁January's (0.548), then ▁Tuesday,
    ▁Friday and ▁Thursday; all six other weekdays are among the first eight, with a month and a season
    (▁spring) between them. Days, months and seasons share a neighbourhood because they turn up in the
    same places of the training text.

    """);

Show(model.Embeddings.Nearest(" Monday", 10).Chart());

Console.WriteLine("""

    5 · A map of meanings
    ---------------------

    192 directions do not fit on a page. PCA (principal component analysis) finds the two directions in
    which a few rows differ most and lays the rows flat along them: a map. Four groups of tokens, a
    colour each: the weekdays gather on one side with the months beside them, the numbers at the top,
    the capitals in a corner of their own. The flat map keeps only 17 % + 12 % of the rows' spread —
    most of it lives in the other 190 directions — and still each token lies nearer to its own group
    than to any other.

    """);

var map = model.Embeddings.Pca(
    ("weekdays", [" Monday", " Tuesday", " Wednesday", " Thursday", " Friday", " Saturday", " Sunday"]),
    ("months", [" January", " February", " March", " April", " May", " June"]),
    ("numbers", [" two", " three", " four", " five", " six", " seven"]),
    ("capitals", [" Rome", " Berlin", " Madrid", " Tokyo", " London", " Vienna"]));
Show(map.Chart());

Console.WriteLine("""

    6 · Trace one forward pass
    --------------------------

    Now the rounds at the table. `model.Trace` reads the prompt once, exactly as the model always does,
    and keeps what it normally throws away: each token's vector as it enters the first layer, the
    residual stream (each guest's notebook) after every one of the 6 layers, and the attention of all 6
    heads of every layer. Its description says what it holds, and how many bytes: little for seven
    tokens — but attention grows with the square of the prompt's length, so on a large model a cell
    keeps only the layers and heads it will look at (`TraceOptions`, in §10).

    """);

var trace = model.Trace(prompt);
Show(trace);

Console.WriteLine("""

    7 · Who listens to whom: one head
    ---------------------------------

    One head's attention is a square: a row for each token as it listens, a column for each token it may
    listen to. The colour is the share of its attention that goes there, and each row shares out exactly
    1. Everything above the diagonal is grey: a token never sees the tokens after it — the causal mask,
    the guests who have not arrived. Head 5 of layer 0 mostly listens to its neighbour: in five of the
    six rows that have one, its largest share goes to the token just before — a previous-token head, a
    pattern found in large models too.

    """);

Show(trace.Attention(0, 5).Chart());

Console.WriteLine("""

    8 · A layer has several heads
    -----------------------------

    A layer has six heads, all listening at once, each in its own way; their findings are added together
    into the notebook. Layer 0's heads side by side: head 5 is the neighbour-listener from §7; head 2
    puts most of every row on `<s>`, the start marker — a resting place for a head with nothing to look
    for in this prompt; the others mix.

    """);

Show(trace.Attention(0).Chart());

Console.WriteLine("""

    9 · Where the last token looks
    ------------------------------

    The prediction is read from the last token's notebook, so what the last token listens to matters
    most. Its row in each head of layer 1 (framed: the head's largest share): five of the six heads take
    most from ▁Wednesday — the day whose successor is wanted.

    """);

Show(trace.Attention(1).LastTokenChart());

Console.WriteLine("""

    10 · Mistral's sliding window
    -----------------------------

    Mistral adds one rule: a token listens to the last 256 tokens at most, its sliding window. Seven
    tokens never reach it, so here is a prompt of twenty weeks, only head 2 of layer 0 kept
    (`TraceOptions`), and a corner of its square: rows 252 to 261, columns 0 to 9, the oldest tokens. Up
    to row 255 every one of them is in view; from row 256 on they drop out one by one — grey at the left
    edge, a staircase — and row 256 is the first that no longer sees `<s>`. The cells still in view are
    pale: with 256 tokens to listen to, none of these old ones gets more than .02.

    """);

var week = "Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, ";
var options = new TraceOptions { AttentionLayers = [0], AttentionHeads = [2] };
var weeks = model.Trace(string.Concat(Enumerable.Repeat(week, 20)), options);
Console.WriteLine($"{weeks.Tokens.Count} tokens; the window: {model.Config.SlidingWindow} tokens");
Show(weeks.Attention(0, 2).Chart(queries: 252..262, keys: ..10));

Console.WriteLine("""

    11 · Reading the notebooks: the logit lens
    ------------------------------------------

    Because every layer only adds to the notebook, it can be read after any layer just as the model
    reads it after the last one — through the final norm and the output head. That is the logit lens: a
    row per layer, a column per token, each cell naming the token the model would predict next if it
    stopped there, darker where it is surer; framed cells are the prompt's real next token. Follow the
    last column: ▁Thursday appears after layer 2, at .45, and firms up layer by layer to 1.00 after
    layer 6.

    The top row, embeddings, reads each token's card before any layer, and predicts every token as its
    own successor — `<s>` after `<s>`, ▁Monday after ▁Monday — with a probability of 1.00. The reason:
    this model's output head is its embedding matrix (the two are tied, one table used twice), so it
    scores each token by how well that token's row lines up with the vector it reads, and an unchanged
    card lines up best with itself. It takes the layers to turn each token's vector from what the token
    is towards what comes next.

    """);

var lens = trace.Lens(top: 3);
Show(lens.Chart());

Console.WriteLine("""

    12 · The last layer is the model's answer
    -----------------------------------------

    The lens's last row is no approximation: it is the model's own output. Its last cell, against lesson
    04's first step computed the ordinary way — the same token, the same probability:

    """);

var best = lens.Final.Positions[^1].Best;
var step = model.Start(prompt).Next();
Console.WriteLine($"logit lens after layer {trace.Layers}: {best.Text} {best.Probability:0.0000}");
Console.WriteLine($"the model's next step:      {step.Chosen.Text} {step.Chosen.Probability:0.0000}");

Console.WriteLine("""

    What you saw
    ------------

    - A token id picks a row of the embedding matrix: a vector of 192 numbers, the same wherever the
      token comes.
    - Rows of tokens used alike point alike: weekdays, months and seasons are neighbours, and a flat map
      (PCA) keeps the groups apart.
    - In every layer each head lets each token take in the tokens before it, never after; Mistral also
      limits how far back (its 256-token window).
    - Every layer adds to the residual stream; the logit lens reads it after each layer, and ▁Thursday
      forms over the layers until the last one, which is the model's own prediction.

    Next: lesson 06 lets the model run on its own, token after token, from a request to a whole answer.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));
