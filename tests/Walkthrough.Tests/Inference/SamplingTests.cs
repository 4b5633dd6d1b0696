using Walkthrough.Inference;

namespace Walkthrough.Tests.Inference;

/// <summary>Each sampling rule on small vectors, against values worked out by hand.</summary>
public sealed class SamplingTests
{
    [Fact]
    public void Softmax_of_ln_1_2_3_4_is_one_tenth_to_four_tenths()
    {
        float[] logits = [0, (float)Math.Log(2), (float)Math.Log(3), (float)Math.Log(4)];
        var p = Sampling.Softmax(logits);
        Assert.Equal([0.1, 0.2, 0.3, 0.4], p.Select(x => Math.Round(x, 6)));
    }

    [Fact]
    public void Temperature_2_takes_the_square_root_of_the_odds()
    {
        // e^(z/2): odds 1 : 4 become 1 : 2.
        var p = Sampling.Softmax([0, (float)Math.Log(4)], temperature: 2);
        Assert.Equal(1 / 3.0, p[0], 6);
        Assert.Equal(2 / 3.0, p[1], 6);
    }

    [Fact]
    public void Top_k_keeps_the_k_largest()
    {
        Assert.Equal([0, 0.2, 0.3, 0.4], Sampling.TopK([0.1, 0.2, 0.3, 0.4], 3));
        Assert.Equal([0.1, 0.2, 0.3, 0.4], Sampling.TopK([0.1, 0.2, 0.3, 0.4], 0));
    }

    [Fact]
    public void Largest_gives_the_top_indices_largest_first_and_the_lower_index_on_a_tie()
    {
        Assert.Equal([3, 1, 4], Sampling.Largest([0.1, 0.3, 0.0, 0.4, 0.3, 0.2], 3));
        Assert.Equal([], Sampling.Largest([0.5, 0.5], 0));
        Assert.Equal([0, 1], Sampling.Largest([0.5, 0.5], 5));

        // Against a full sort, on a vocabulary-sized array with many ties.
        var random = new Random(7);
        var values = Enumerable.Range(0, 32000).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        var sorted = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(50);
        Assert.Equal(sorted, Sampling.Largest(values, 50));
    }

    [Fact]
    public void Top_p_keeps_the_fewest_tokens_reaching_p()
    {
        // 0.4 + 0.3 = 0.7 ≥ 0.6: two tokens suffice; 0.4 alone does not.
        Assert.Equal([0, 0, 0.3, 0.4], Sampling.TopP([0.1, 0.2, 0.3, 0.4], 0.6));
        Assert.Equal([0, 0, 0, 0.4], Sampling.TopP([0.1, 0.2, 0.3, 0.4], 0.4));
    }

    [Fact]
    public void Min_p_keeps_tokens_at_least_that_fraction_of_the_best()
    {
        // best 0.4 × 0.5 = 0.2: 0.2, 0.3, 0.4 stay.
        Assert.Equal([0, 0.2, 0.3, 0.4], Sampling.MinP([0.1, 0.2, 0.3, 0.4], 0.5));
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens()
    {
        var result = Sampling.PenalizeRepetition([2f, -2f, 2f], seen: [0, 1, 1], penalty: 2);
        Assert.Equal([1f, -4f, 2f], result);
    }

    [Fact]
    public void Draw_walks_the_cumulative_distribution()
    {
        double[] p = [0.1, 0, 0.6, 0.3];
        Assert.Equal(0, Sampling.Draw(p, 0.05));
        Assert.Equal(2, Sampling.Draw(p, 0.1));   // a zero-probability token is never drawn
        Assert.Equal(2, Sampling.Draw(p, 0.69));
        Assert.Equal(3, Sampling.Draw(p, 0.71));
    }

    [Fact]
    public void Entropy_is_zero_when_certain_and_two_bits_for_four_equal_tokens()
    {
        Assert.Equal(0, Sampling.Entropy([0, 1, 0]));
        Assert.Equal(2, Sampling.Entropy([0.25, 0.25, 0.25, 0.25]), 9);
    }

    [Theory]
    [InlineData(0.0, "top-p 0 is outside (0, 1]")]
    [InlineData(1.5, "top-p 1.5 is outside (0, 1]")]
    public void Top_p_outside_0_1_is_refused(double topP, string message)
    {
        var error = Assert.Throws<WalkthroughException>(() => new SamplingOptions { Temperature = 1, TopP = topP }.Validated());
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Temperature_zero_means_greedy_and_a_negative_one_is_refused()
    {
        Assert.True(new SamplingOptions { Temperature = 0 }.IsGreedy);
        Assert.Equal("greedy: the most likely token", new SamplingOptions().Describe());
        Assert.Equal("temperature -1 is negative: use 0 for greedy decoding, or a positive value such as 0.7 to sample.",
            Assert.Throws<WalkthroughException>(() => new SamplingOptions { Temperature = -1 }.Validated()).Message);
        Assert.StartsWith("temperature Infinity is not a finite number", Assert.Throws<WalkthroughException>(() => new SamplingOptions { Temperature = double.PositiveInfinity }.Validated()).Message);
    }

    [Fact]
    public void Cut_names_the_rule_that_removed_each_token()
    {
        double[] p = [0.5, 0.2, 0.15, 0.1, 0.05];

        // top-k 4 drops the last; top-p 0.8 then keeps 0.5 + 0.2 + 0.15 = 0.85; min-p is left off.
        var (kept, cutBy) = Sampling.Cut(p, new SamplingOptions { Temperature = 1, TopK = 4, TopP = 0.8 });
        Assert.Equal([0.5, 0.2, 0.15, 0, 0], kept);
        Assert.Equal([null, null, null, SamplingCut.TopP, SamplingCut.TopK], cutBy);

        // min-p 0.35 keeps tokens of at least 0.35 × 0.5 = 0.175.
        var (_, byMinP) = Sampling.Cut(p, new SamplingOptions { Temperature = 1, MinP = 0.35 });
        Assert.Equal([null, null, SamplingCut.MinP, SamplingCut.MinP, SamplingCut.MinP], byMinP);

        var (all, none) = Sampling.Cut(p, new SamplingOptions { Temperature = 1 });
        Assert.Same(p, all);
        Assert.All(none, c => Assert.Null(c));
    }

    [Fact]
    public void Greedy_with_cuts_says_they_matter_only_when_sampling()
    {
        Assert.Equal("greedy: the most likely token (top-k 3 would cut the rows marked, but only from a draw: give a temperature to sample)",
            new SamplingOptions { TopK = 3 }.Describe());
    }

    [Fact]
    public void Softmax_and_entropy_over_a_whole_vocabulary_equal_the_plain_loops_they_replace()
    {
        var random = new Random(5);
        var logits = Enumerable.Range(0, 32_000).Select(_ => (float)(random.NextDouble() * 30 - 20)).ToArray();
        logits[7] = -1e30f; // a probability that underflows to exactly 0
        var max = logits.Max();
        var exp = logits.Select(z => Math.Exp(((double)z - max) / 0.7)).ToArray();
        var expected = exp.Select(e => e / exp.Sum()).ToArray();

        var p = Sampling.Softmax(logits, 0.7);
        var fromList = Sampling.Softmax(logits.ToList(), 0.7);

        Assert.Equal(0, p[7]);
        Assert.True(p.Zip(expected).Max(pair => Math.Abs(pair.First - pair.Second)) < 1e-15);
        Assert.True(p.Zip(fromList).Max(pair => Math.Abs(pair.First - pair.Second)) < 1e-15); // vector lanes fall differently
        var entropy = -expected.Where(q => q > 0).Sum(q => q * Math.Log2(q));
        Assert.Equal(entropy, Sampling.Entropy(p), 9);
        Assert.Equal(Sampling.Entropy(p), Sampling.Entropy(p.ToList()), 12);
    }

    [Theory]
    [InlineData(1.0, 30.0)]   // the model's own distribution, spread over many tokens
    [InlineData(0.7, 30.0)]
    [InlineData(1.0, 400.0)]  // one token all but certain: entropy near 0, where the identity must not cancel badly
    public void The_entropy_from_the_shifted_logits_equals_the_sum_over_the_probabilities(double temperature, double spread)
    {
        var random = new Random(11);
        var logits = Enumerable.Range(0, 32_000).Select(_ => (float)(random.NextDouble() * spread - spread)).ToArray();
        logits[3] = 5;
        logits[9] = -1e30f;

        var (p, entropy) = Sampling.SoftmaxAndEntropy(logits, temperature);

        Assert.True(Sampling.Softmax(logits, temperature).Zip(p).Max(pair => Math.Abs(pair.First - pair.Second)) < 1e-15); // vector lanes may fall differently
        var expected = -p.Where(q => q > 0).Sum(q => q * Math.Log2(q));
        Assert.Equal(expected, entropy, 9);
    }

    [Fact]
    public void A_logit_of_minus_infinity_has_probability_0_and_adds_nothing_to_the_entropy()
    {
        float[] logits = [0, float.NegativeInfinity, 0];

        var (p, entropy) = Sampling.SoftmaxAndEntropy(logits, 1);

        Assert.Equal([0.5, 0, 0.5], p);
        Assert.Equal(1, entropy, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(57)]
    [InlineData(40_000)] // more than there are: all of them
    public void Largest_over_a_vocabulary_with_many_ties_is_a_full_sort_cut_short(int count)
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 32_003).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray(); // ~32 of each value

        var expected = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(count).ToArray();

        Assert.Equal(expected, Sampling.Largest(values, count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(16_001)]
    [InlineData(32_002)] // the last: after it, nothing
    public void Above_counts_the_larger_values_and_the_equal_ones_before_with_their_sum(int id)
    {
        var random = new Random(id);
        var values = Enumerable.Range(0, 32_003).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        var p = values[id];
        var above = Enumerable.Range(0, values.Length).Where(i => values[i] > p || (values[i] == p && i < id)).ToArray();

        var (count, sum) = Sampling.Above(values, id);

        Assert.Equal(above.Length, count);
        Assert.Equal(above.Sum(i => values[i]), sum, 9);
    }
}
