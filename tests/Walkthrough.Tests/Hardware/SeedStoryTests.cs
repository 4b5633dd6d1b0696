using Walkthrough.Hardware;
using static Walkthrough.Tests.Hardware.ParameterCountTests;

namespace Walkthrough.Tests.Hardware;

/// <summary>
/// The seed notebooks' two loads, planned before any weight is read. Each verdict is the sentence notebook 02 shows.
/// Figures: GiB = 2³⁰ bytes; the CUDA allowance is 500 MiB = 524,288,000 bytes.
/// </summary>
public sealed class SeedStoryTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void Mistral_in_float32_does_not_fit_a_16_GB_V100()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float32, Gpu.Named("V100-16GB"), context: 4096, model: "Mistral-7B");

        // weights 7,241,732,096 · 4 = 28,966,928,384; KV cache 2·32·8·128·4 = 262,144 a token · 4,096 = 1,073,741,824;
        // activations (4·4096 + 2·14336 + 32000) · 4 = 308,224 a token · 4,096 = 1,262,485,504; CUDA 524,288,000.
        // Total 31,827,443,712 against 16 GiB = 17,179,869,184: 14,647,574,528 missing. The weights alone
        // (26.98 GiB) are more than the GPU holds — the seed's out-of-memory error was certain before it started.
        Assert.Equal(28_966_928_384L, plan.WeightBytes);
        Assert.Equal(1_073_741_824L, plan.KvCacheBytes);
        Assert.Equal(1_262_485_504L, plan.ActivationBytes);
        Assert.Equal(31_827_443_712L, plan.TotalBytes);
        Assert.False(plan.Fits);
        Assert.Equal(14_647_574_528L, plan.MissingBytes);
        Assert.True(plan.WeightBytes > 16 * GiB);

        // A V100 (compute capability 7.0) has no bfloat16 arithmetic, so the advice is float16.
        Assert.Equal(FitChange.SixteenBit, plan.SmallestChange!.Change);
        Assert.Equal(Dtype.Float16, plan.SmallestChange.Dtype);
        Assert.Equal(
            "Mistral-7B in float32 at 4,096 tokens needs 29.64 GiB but the V100-16GB has 16.00 GiB: 13.64 GiB missing. " +
            "Smallest change: load it in float16 — 15.06 GiB, 957.5 MiB to spare.",
            plan.Verdict);
    }

    [Fact]
    public void Mistral_in_float16_fits_a_16_GB_V100()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("V100-16GB"), context: 4096, model: "Mistral-7B");

        // weights 14,483,464,192 + KV 536,870,912 + activations 631,242,752 + CUDA 524,288,000 = 16,175,865,856;
        // 17,179,869,184 − 16,175,865,856 = 1,004,003,328 to spare.
        Assert.True(plan.Fits);
        Assert.Equal(16_175_865_856L, plan.TotalBytes);
        Assert.Equal(1_004_003_328L, plan.HeadroomBytes);
        Assert.Empty(plan.Options);
        Assert.Equal("Mistral-7B in float16 at 4,096 tokens needs 15.06 GiB of the V100-16GB's 16.00 GiB: it fits, with 957.5 MiB to spare.", plan.Verdict);
    }

    [Fact]
    public void Without_a_context_the_plan_is_for_4096_tokens_and_says_so()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("V100-16GB"), model: "Mistral-7B");

        // Mistral-7B allows 32,768 tokens, but a session of a long prompt and its answer is 4,096: float16 fits, as the
        // walk, lesson 02 and the README say.
        Assert.Equal(4096, plan.Context);
        Assert.True(plan.ContextIsDefault);
        Assert.True(plan.Fits);
        Assert.Equal("4,096 tokens is the planner's default context (a long prompt and its answer); the model can read up to 32,768: give a context (--context) to plan for more.",
            plan.ContextNote);
        Assert.Contains(plan.ContextNote, plan.Notes);
        Assert.Null(MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("V100-16GB"), context: 4096).ContextNote);
        Assert.Equal(1024, MemoryPlan.For(Config("gpt2"), Dtype.Float32, Gpu.Named("T4")).Context); // never past the model's maximum
    }

    [Fact]
    public void Mistral_at_its_full_32k_context_needs_more_than_float16()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("V100-16GB"), context: 32_768, model: "Mistral-7B");

        // At max_position_embeddings 32,768 the KV cache alone is 131,072 · 32,768 = 4 GiB.
        Assert.Equal(32_768, plan.Context);
        Assert.Equal(4 * GiB, plan.KvCacheBytes);
        Assert.False(plan.Fits);
        Assert.Contains(plan.Notes, n => n.Contains("attends to the last 4,096 tokens only"));
    }

    [Fact]
    public void Mpt_30b_instruct_at_16k_tokens_in_bfloat16_misses_an_80_GB_GPU_by_its_kv_cache()
    {
        // The seed set max_seq_len = 16384 and loaded in bfloat16 (and 8 bits) with device_map="auto".
        var plan = MemoryPlan.For(Config("mpt-30b-instruct"), Dtype.BFloat16, Gpu.Named("A100-80GB"), context: 16384, model: "MPT-30B-Instruct");

        // weights 29,957,200,896 · 2 = 59,914,401,792; KV cache 2·48·64·112·2 = 1,376,256 a token (1.3 MiB)
        // · 16,384 = 22,548,578,304 (21 GiB); activations (4·7168 + 2·28672 + 50432) · 2 = 272,896 a token
        // · 16,384 = 4,471,128,064; CUDA 524,288,000. Total 87,458,396,160 against 80 GiB = 85,899,345,920.
        Assert.Equal(59_914_401_792L, plan.WeightBytes);
        Assert.Equal(22_548_578_304L, plan.KvCacheBytes);
        Assert.Equal(4_471_128_064L, plan.ActivationBytes);
        Assert.Equal(1_559_050_240L, plan.MissingBytes);

        // Smallest change: fewer tokens. Room for tokens 85,899,345,920 − 59,914,401,792 − 524,288,000
        // = 25,460,656,128 at 1,649,152 bytes a token = 15,438 tokens, rounded down to 15,360.
        Assert.Equal(FitChange.ShorterContext, plan.SmallestChange!.Change);
        Assert.Equal(15_360, plan.SmallestChange.Context);
        Assert.Equal(
            "MPT-30B-Instruct in bfloat16 at 16,384 tokens needs 81.45 GiB but the A100-80GB has 80.00 GiB: 1.45 GiB missing. " +
            "Smallest change: shorten the context to 15,360 tokens — 79.88 GiB, 123.7 MiB to spare.",
            plan.Verdict);
        Assert.Equal([FitChange.ShorterContext, FitChange.Int8, FitChange.MoreGpus], plan.Options.Select(o => o.Change));
        Assert.Contains(plan.Notes, n => n.Contains("16,384 tokens is past the 8,192"));
    }

    [Fact]
    public void Mpt_30b_instruct_at_16k_tokens_in_int8_fits_an_80_GB_GPU()
    {
        var plan = MemoryPlan.For(Config("mpt-30b-instruct"), Dtype.Int8, Gpu.Named("A100-80GB"), context: 16384, model: "MPT-30B-Instruct");

        // int8 weights: per layer 12·7168² = 616,562,688 bytes + 9·7168 rows · 2 = 129,024; × 48 = 29,601,202,176;
        // 16-bit wte 361,496,576 · 2 = 722,993,152 and LayerNorms 97 · 7168 · 2 = 1,390,592 → 30,325,585,920.
        // The KV cache and activations stay 16-bit: 22,548,578,304 + 4,471,128,064; CUDA 524,288,000.
        Assert.Equal(30_325_585_920L, plan.WeightBytes);
        Assert.Equal(57_869_580_288L, plan.TotalBytes);
        Assert.True(plan.Fits);
        Assert.Equal(28_029_765_632L, plan.HeadroomBytes);
        Assert.Equal("MPT-30B-Instruct in int8 at 16,384 tokens needs 53.90 GiB of the A100-80GB's 80.00 GiB: it fits, with 26.10 GiB to spare.", plan.Verdict);
    }
}
