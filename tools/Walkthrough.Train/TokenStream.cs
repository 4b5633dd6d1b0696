using Walkthrough.Inference;
using Walkthrough.Tokens;

namespace Walkthrough.Train;

/// <summary>
/// The corpus as the model reads it: every document tokenized as &lt;s&gt; text &lt;/s&gt;, all laid end to end,
/// cut into training windows of a fixed length, served in a seeded random order.
/// </summary>
internal sealed class TokenStream
{
    private readonly int[] _tokens;
    private readonly int _window;

    public TokenStream(IEnumerable<string> documents, Tokenizer tokenizer, int window)
    {
        var eos = tokenizer.EosId ?? throw new InvalidOperationException("The tokenizer has no EOS token.");
        var tokens = new List<int>();
        foreach (var document in documents)
        {
            tokens.AddRange(tokenizer.Encode(document)); // <s> + text, as at inference
            tokens.Add(eos);
        }
        _tokens = tokens.ToArray();
        _window = window;
        Documents = documents.Count();
    }

    public int Documents { get; }

    public long Tokens => _tokens.Length;

    /// <summary>Windows of window + 1 tokens (inputs and, shifted by one, targets), in a new seeded order each epoch.</summary>
    public IEnumerable<int[]> Windows(int seed)
    {
        var starts = Enumerable.Range(0, (_tokens.Length - 1) / _window).Select(i => i * _window).ToArray();
        var random = new SplitMix64((ulong)seed);
        for (var epoch = 0; ; epoch++)
        {
            for (var i = starts.Length - 1; i > 0; i--)
            {
                var j = (int)(random.Next() % (ulong)(i + 1));
                (starts[i], starts[j]) = (starts[j], starts[i]);
            }
            foreach (var start in starts) yield return _tokens[start..(start + _window + 1)];
        }
    }
}
