using System.Diagnostics;
using System.Runtime.InteropServices;
using Walkthrough;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Native;
using Walkthrough.Tokens;
using Walkthrough.Train;
using Walkthrough.Train.Corpus;
using static TorchSharp.torch;

// Retrains walkthrough-tiny from nothing: dotnet run --project tools/Walkthrough.Train -c Release -- [--steps N] [--out DIR]
var steps = Argument("--steps", TinyModelRecipe.Steps);
var output = ArgumentText("--out", Path.Combine(KitData.Root, "models", "walkthrough-tiny"));
try
{
    TorchRuntime.Ensure();
    manual_seed(TinyModelRecipe.Seed);
    set_num_threads(Environment.ProcessorCount);
    var clock = Stopwatch.StartNew();

    var tokenizer = Tokenizer.Default();
    var documents = CorpusGenerator.Documents(TinyModelRecipe.Seed).Take(TinyModelRecipe.CorpusDocuments).ToList();
    var stream = new TokenStream(documents, tokenizer, TinyModelRecipe.SequenceLength);
    Console.WriteLine($"corpus: {stream.Documents:N0} documents, {stream.Tokens:N0} tokens (made in {clock.Elapsed.TotalSeconds:0} s)");

    var config = ModelConfig.Parse(TinyModelRecipe.ConfigJson, "TinyModelRecipe");
    using var model = CausalLanguageModel.Create(config, float32, CPU, int8: false);
    var parameterCount = model.parameters().Sum(p => p.NumberOfElements);
    Console.WriteLine($"model: Mistral architecture, {parameterCount:N0} parameters; {steps} steps of {TinyModelRecipe.BatchSize} × {TinyModelRecipe.SequenceLength} tokens");

    var history = Trainer.Run(model, stream, steps, Console.Out);
    var facts = new
    {
        parameters = parameterCount,
        corpus_documents = stream.Documents,
        corpus_tokens = stream.Tokens,
        steps,
        tokens_seen = (long)steps * TinyModelRecipe.BatchSize * TinyModelRecipe.SequenceLength,
        seconds = Math.Round(clock.Elapsed.TotalSeconds),
        threads = Environment.ProcessorCount,
        processor = RuntimeInformation.ProcessArchitecture.ToString(),
        seed = TinyModelRecipe.Seed,
    };
    ModelFolder.Write(output, model, KitData.DefaultTokenizer, history, facts);
    Console.WriteLine($"wrote {output} in {clock.Elapsed:hh\\:mm\\:ss}");
    return 0;
}
catch (WalkthroughException e)
{
    Console.Error.WriteLine($"train: {e.Message}");
    return 2;
}

int Argument(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;

string ArgumentText(string name, string fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
