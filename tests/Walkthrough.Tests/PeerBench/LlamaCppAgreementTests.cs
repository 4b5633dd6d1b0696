using System.Text;
using LLama;
using LLama.Common;
using PeerBench.Gguf;
using PeerBench.Peers;
using Walkthrough.Architectures;
using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.PeerBench;

/// <summary>
/// The GGUF the kit writes, run by llama.cpp (LLamaSharp's CPU build), against the kit on the bundled model: the same
/// logits within 1e-4 and the same token ids — so the peer benchmark compares two runtimes computing one thing.
/// </summary>
public sealed class LlamaCppAgreementTests : IClassFixture<LlamaCppAgreementTests.BundledGguf>
{
    private readonly BundledGguf _gguf;

    public LlamaCppAgreementTests(BundledGguf gguf) => _gguf = gguf;

    [Fact]
    public void Llama_cpp_on_the_written_gguf_gives_the_kits_logits_for_a_prompt_and_each_cached_step()
    {
        using var model = LanguageModel.Default();
        var ids = model.Tokenizer.Encode("Monday, Tuesday, Wednesday, Thursday,");
        using var llama = LlamaCppPeer.Load(_gguf.Path, 64);
        using var cache = new KvCache(model.Config.Layers, model.ContextLength);

        var difference = MaxDifference(model.NextLogits(ids, cache), llama.Prefill(ids, "forward"));
        foreach (var next in model.Tokenizer.Encode(" Friday, Saturday", addSpecialTokens: false))
            difference = Math.Max(difference, MaxDifference(model.NextLogits([next], cache), llama.Decode([next], "forward")));

        Assert.True(difference < 1e-4, $"max |Δlogit| = {difference}");
    }

    [Theory]
    [InlineData("Can you write an email explaining what an LLM is?")]
    [InlineData("Monday, Tuesday, Wednesday,")]
    [InlineData("Le café coûte 3,50 € 🙂")]
    public void Llama_cpps_tokenizer_reads_the_written_vocabulary_as_the_kit_does(string text)
    {
        using var model = LanguageModel.Default();
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(_gguf.Path) { VocabOnly = true });

        var theirs = weights.Tokenize(text, add_bos: true, special: false, Encoding.UTF8).Select(t => (int)t).ToArray();

        Assert.Equal(model.Tokenizer.Encode(text), theirs);
    }

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b).Max(pair => Math.Abs((double)pair.First - pair.Second));

    /// <summary>The bundled model written once as GGUF (float32) for the tests of this class.</summary>
    public sealed class BundledGguf : IDisposable
    {
        public BundledGguf()
        {
            Walkthrough.Native.TorchRuntime.Ensure();
            LlamaGguf.Write(KitData.DefaultModel, TorchSharp.torch.ScalarType.Float32, Path);
        }

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"walkthrough-tiny-{Guid.NewGuid():N}.gguf");

        public void Dispose() => File.Delete(Path);
    }
}
