// 01-tokens.ipynb as a .NET 10 file-based app: dotnet run lessons/01-tokens.cs
// Generated from notebooks/01-tokens.ipynb (walkthrough lesson … --app); edit the notebook, then regenerate.
#:property UsesLibTorch=true
// On an NVIDIA GPU, set the next line to true: it swaps the CPU build of libtorch for the CUDA one.
#:property WalkthroughCuda=false
#:project ../src/Walkthrough/Walkthrough.csproj

using System.IO;
using Walkthrough;
using Walkthrough.Tokens;
using Walkthrough.Display;

Console.WriteLine("""

    01 · Text becomes tokens
    ========================

    A language model never sees letters. Before it reads a prompt, a tokenizer cuts the text into pieces
    it knows — tokens — and replaces each by its number in a fixed list, the vocabulary. Everything the
    model does later happens on those numbers.

    In this lesson you will:

    1. turn the prompt of the original Mistral-7B notebook into a token table (position, token, id);
    2. see the tokens drawn over the text, and what happens to spaces, emoji and rare characters;
    3. compare Mistral-7B's tokenizer with the one GPT-4o uses.

    Everything runs offline, on your CPU.

    """);

Console.WriteLine("""

    1 · Set-up
    ----------

    The first cell is the same in every lesson. It loads the kit (built by the README's set-up into
    `artifacts/packages`, which `notebooks/nuget.config` names as a package source; `0.1.0-*` is the
    newest build, so after rebuilding the kit a restarted kernel loads the new one) and the CPU build of
    TorchSharp. On an NVIDIA GPU, replace `TorchSharp-cpu` by `TorchSharp-cuda-linux` (or
    `TorchSharp-cuda-windows`) — that line is the only change. The cell's output checks the machine: a
    red line says what to fix.

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
    the next one. This lesson is the first two stations, from text to tokens (marked below).

    """);

Show(Pipeline.YouAreHere(Stage.Text, Stage.Tokens));

Console.WriteLine("""

    2 · The prompt and the tokenizer
    --------------------------------

    Think of the tokenizer as a phrasebook with numbered entries: whole common words (` you`, ` write`),
    pieces of rarer ones, and — for anything else — single bytes. It looks your sentence up piece by
    piece and hands the model only the entry numbers; the model never sees a letter. Every model comes
    with its own phrasebook, which is why the same sentence becomes different numbers for different
    models (section 9).

    This is the prompt the original notebook gave Mistral-7B. The kit ships Mistral-7B's real tokenizer
    in `data/tokenizers/mistral-7b`: the phrasebook the model was trained with. Its size is in the
    output.

    """);

var prompt = "Can you write an email explaining what an LLM is?";
var tokenizer = Tokenizer.Default();
Show(tokenizer);

Console.WriteLine("""

    3 · The token table
    -------------------

    Each row is one token: its position, its id (its number in the vocabulary) and how the vocabulary
    spells it. Look for three things:

    - the first token, `<s>`, is not in the text at all: it is a special token that tells the model a
      text begins;
    - `▁` stands for a space: most tokens carry the space before a word (`▁you`, `▁write`);
    - `LLM` is rare enough that it is not one token: it becomes `▁LL` + `M`.

    These are the ids the original notebook printed with Hugging Face's tokenizer: 1, 2418, 368, 3324,
    396, 4927, 20400, 767, 396, 16704, … The first line counts characters as you would, one per letter,
    space or emoji.

    """);

var table = tokenizer.Tokenize(prompt);
Show(table);

Console.WriteLine("""

    4 · The tokens over the text
    ----------------------------

    The same tokens, drawn over the text as coloured chips (hover over a chip to see its id). Every
    character belongs to exactly one chip; `<s>` gets a grey chip of its own, and each token has the
    colour it has in the table above.

    """);

Show(table.Chips());

Console.WriteLine("""

    5 · What the model actually receives
    ------------------------------------

    Strip away the text and this list of numbers is all the model gets. Decoding the ids gives the text
    back — the tokenizer loses nothing.

    """);

Console.WriteLine(string.Join(", ", table.Ids));
Console.WriteLine(tokenizer.Decode(table.Ids, skipSpecialTokens: true));

Console.WriteLine("""

    6 · How much text each token holds
    ----------------------------------

    A bar per token: how many characters of the prompt it covers (the space before a word counts).
    Common words are one token; rare ones take several short tokens.

    """);

Show(table.Chart());

Console.WriteLine("""

    7 · Emoji and characters the vocabulary lacks
    ---------------------------------------------

    A vocabulary cannot hold every character on earth. Mistral's tokenizer has a fallback: a character
    it does not know is written as its UTF-8 bytes, one token per byte (`<0xF0>` …). Neither `🤗` nor
    the rare Chinese character `𠀀` is in Mistral's vocabulary: each becomes four byte tokens, and all
    four point at the same character (the same span).

    The first line counts 15 characters, as a reader does. C# counts 17: it stores `🤗` and `𠀀` as two
    UTF-16 units each, and the spans (`7..9`) are in those units.

    """);

Show(tokenizer.Tokenize("Tokens 🤗 and 𠀀!"));

Console.WriteLine("""

    8 · The table as a DataFrame
    ----------------------------

    For your own analysis the table is also a `Microsoft.Data.Analysis` DataFrame: filter it, count it,
    join it.

    """);

var frame = table.ToDataFrame();
Show(frame);

Console.WriteLine("""

    9 · Another model, another tokenizer
    ------------------------------------

    GPT-4o's tokenizer (`o200k_base`) has about 200,000 tokens, six times as many (its size is the first
    line below). It adds no `<s>`, and it cuts `LLM` differently (` L` + `LM`). On this short English
    prompt both need the same number of tokens — the last lines say so, and where they cut differently.

    """);

var gpt4o = Tokenizer.Load("o200k_base");
display(gpt4o);
Show(TokenizerComparison.Of(prompt, tokenizer, gpt4o));

Console.WriteLine("""

    A larger vocabulary holds more words of more languages whole. The chart counts both tokenizers'
    tokens on a German sentence:

    """);

var german = "Die Größe eines Sprachmodells hängt von seinem Vokabular ab.";
Show(TokenizerComparison.Of(german, tokenizer, gpt4o).Chart());

Console.WriteLine("""

    10 · Your turn
    --------------

    Change the text below — your name, a sentence in your language, some code, a long number — and run
    the cell again. Which tokenizer needs fewer tokens (the last lines say)? Where do they cut
    differently?

    """);

var yours = "The quick brown fox jumps over the lazy dog. 1234567890";
Show(TokenizerComparison.Of(yours, tokenizer, gpt4o));

Console.WriteLine("""

    What you saw
    ------------

    - A tokenizer cuts text into tokens from a fixed vocabulary and gives each its id; the model sees
      only the ids.
    - Spaces usually travel with the following word (`▁you`); special tokens such as `<s>` mark where a
      text begins.
    - Unknown characters fall back to their bytes, so every text can be tokenized.
    - Different models have different tokenizers: they cut the same text differently, and often into a
      different number of tokens.

    Next: lesson 02 asks how much GPU memory a model needs — the question the original notebook forgot
    before it ran out of memory.

    """);

// A notebook shows a cell's last value; here it is printed as the notebook shows it in text.
static void Show(object? value) => Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(value, "text/plain"));

static void display(object? value) => Show(value);
