using Walkthrough.Checkpoints;
using Walkthrough.Hardware;
using static Walkthrough.Tests.Hardware.ParameterCountTests;

namespace Walkthrough.Tests.Hardware;

public sealed class MemoryPlanTests
{
    [Fact]
    public void A_table_across_dtypes_shows_where_16_bits_fit()
    {
        var table = MemoryPlan.AllDtypes(Config("mistral-7b"), Gpu.Named("V100-16GB"), context: 4096, model: "Mistral-7B");

        Assert.Equal([Dtype.Float32, Dtype.BFloat16, Dtype.Float16, Dtype.Int8, Dtype.Int4], table.Select(p => p.Dtype));
        Assert.Equal([false, true, true, true, true], table.Select(p => p.Fits));
        // bfloat16 fits in bytes, but a V100 has to emulate it.
        Assert.Contains(table[Dtype.BFloat16].Notes, n => n.StartsWith("The V100-16GB (compute capability 7.0) has no bfloat16 arithmetic"));

        var frame = table.ToDataFrame();
        Assert.Equal(["dtype", "parameters", "weight_bytes", "kv_cache_bytes", "activation_bytes", "cuda_bytes", "total_bytes", "headroom_bytes", "fits"],
            frame.Columns.Select(c => c.Name));
        Assert.Equal(28_966_928_384L, frame["weight_bytes"][0]);
        Assert.Equal(false, frame["fits"][0]);
        Assert.Contains("float32     26.98 GiB    1.00 GiB     1.18 GiB   29.64 GiB  13.64 GiB missing", table.ToString());
        Assert.Contains("#bbf7d0", table.ToHtml());
        Assert.True(table.Chart().Layers.OfType<Walkthrough.Display.BarLayer>().Single().Stacked);
    }

    [Fact]
    public void The_breakdown_names_each_part_and_how_it_was_computed()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("V100-16GB"), context: 4096, model: "Mistral-7B");
        var text = plan.ToString();

        Assert.StartsWith("Mistral-7B: 7,241,732,096 parameters in float16, 4,096 tokens × 1 on V100-16GB (16.00 GiB available; NVIDIA data sheet: \"16 GB\", which is 16 GiB)", text);
        Assert.Contains("  weights            13.49 GiB   7,241,732,096 parameters, 2 bytes each", text);
        Assert.Contains("  KV cache           512.0 MiB   128.0 KiB per token (2 × 32 layers × 8 kv heads × 128 × 2 bytes) × 4,096 × 1", text);
        Assert.Contains("  CUDA allowance     500.0 MiB", text);
        Assert.Contains("  total              15.06 GiB   fits, 957.5 MiB to spare", text);
        Assert.Equal(
            [ModelPart.Embeddings, ModelPart.Attention, ModelPart.Mlp, ModelPart.Norms, ModelPart.OutputHead],
            plan.Parts.Select(p => p.Part));
        Assert.Equal(plan.WeightBytes, plan.Parts.Sum(p => p.Bytes));
        Assert.Contains("Mistral-7B", plan.ToHtml());
        Assert.Contains("V100-16GB: 16.00 GiB", plan.Chart().ToHtml());
    }

    [Fact]
    public void Options_come_smallest_first()
    {
        // Llama-2-7B in float32 at 4,096 tokens on a 24 GB L4: 16 bits fit; the longest float32 context does not keep half.
        var plan = MemoryPlan.For(Config("llama-2-7b"), Dtype.Float32, Gpu.Named("L4"));

        Assert.False(plan.Fits);
        Assert.Equal(FitChange.SixteenBit, plan.Options[0].Change);
        Assert.Equal(Dtype.BFloat16, plan.Options[0].Dtype); // an L4 computes bfloat16
        Assert.Equal([FitChange.SixteenBit, FitChange.Int8, FitChange.MoreGpus], plan.Options.Select(o => o.Change));
        Assert.Equal(2, plan.Options[^1].Gpus);
    }

    [Fact]
    public void The_model_is_named_after_the_config_unless_told()
    {
        Assert.Equal("meta-llama/Llama-2-7b-hf", MemoryPlan.For(Config("llama-2-7b"), Dtype.Float16, Gpu.Named("L4")).Model);
        Assert.Equal("mistral", MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("L4"), context: 10).Model);
    }

    [Theory]
    [InlineData(0, "The context must be at least 1 token (got 0).")]
    [InlineData(-4096, "The context must be at least 1 token (got -4096).")]
    [InlineData(100_000_000, "A context of 100,000,000 tokens is more than any model here can attend to (at most 16,777,216); check the number.")]
    public void Bad_contexts_say_what_is_wrong(int context, string message)
    {
        var error = Assert.Throws<WalkthroughException>(() => MemoryPlan.For(Config("mistral-7b"), Dtype.Float16, Gpu.Named("T4"), context));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Gpt2_cannot_read_past_its_learned_positions()
    {
        var error = Assert.Throws<WalkthroughException>(() => MemoryPlan.For(Config("gpt2"), Dtype.Float32, Gpu.Named("T4"), context: 2048));
        Assert.Equal("GPT-2 learned one position embedding for each of 1,024 positions (n_positions), so it cannot read 2,048 tokens.", error.Message);
    }

    [Fact]
    public void Bad_batches_say_what_is_wrong()
    {
        var error = Assert.Throws<WalkthroughException>(() => MemoryPlan.For(Config("gpt2"), Dtype.Float32, Gpu.Named("T4"), batch: 0));
        Assert.Equal("The batch must be between 1 and 4096 sequences (got 0).", error.Message);
    }

    [Fact]
    public void A_config_missing_keys_names_them()
    {
        var error = Assert.Throws<WalkthroughException>(() => ModelConfig.Parse("""{"model_type": "mpt", "vocab_size": 50432, "n_heads": 64, "max_seq_len": 8192}"""));
        Assert.Equal("config.json: required keys missing: d_model, n_layers — add them, or download config.json again.", error.Message);
    }

    [Fact]
    public void A_config_with_zeros_names_its_own_keys()
    {
        var mpt = Config("mpt-7b-instruct") with { HiddenSize = 0, Layers = -1 };
        var error = Assert.Throws<WalkthroughException>(() => MemoryPlan.For(mpt, Dtype.BFloat16, Gpu.Named("A10")));
        Assert.Equal("mpt config: d_model = 0, n_layers = -1 — counting parameters needs each of these to be a positive number; check config.json.", error.Message);

        var llama = Config("tinyllama-1.1b-chat") with { KeyValueHeads = 5 };
        Assert.Equal(
            "llama config: num_attention_heads = 32 is not a multiple of num_key_value_heads = 5; every key/value head must serve the same number of query heads.",
            Assert.Throws<WalkthroughException>(() => ParameterCount.Of(llama)).Message);
    }

    [Theory]
    [InlineData("fp32", Dtype.Float32)]
    [InlineData("torch.bfloat16", Dtype.BFloat16)]
    [InlineData("FP16", Dtype.Float16)]
    [InlineData("half", Dtype.Float16)]
    [InlineData("8bit", Dtype.Int8)]
    [InlineData("int4", Dtype.Int4)]
    public void Dtypes_parse_from_the_names_people_use(string text, Dtype dtype)
    {
        Assert.Equal(dtype, Dtypes.Parse(text));
    }

    [Fact]
    public void An_unknown_dtype_lists_the_known_ones()
    {
        Assert.Equal("\"fp8\" is not a dtype the planner knows. Use one of: float32, bfloat16, float16, int8, int4 (or fp32, bf16, fp16).",
            Assert.Throws<WalkthroughException>(() => Dtypes.Parse("fp8")).Message);
    }

    [Fact]
    public void Without_a_gpu_a_plan_states_the_needs_and_that_there_is_nothing_to_compare_with()
    {
        var table = MemoryPlan.AllDtypes(Config("mistral-7b"), gpu: null, model: "Mistral-7B");

        Assert.Equal(28_966_928_384L, table[Dtype.Float32].WeightBytes);
        Assert.All(table, plan =>
        {
            Assert.Null(plan.Gpu);
            Assert.Null(plan.HeadroomBytes);
            Assert.False(plan.Fits);
            Assert.Equal(0, plan.MissingBytes);
            Assert.Empty(plan.Options);
            Assert.Equal("no GPU to compare with", plan.Outcome);
        });
        Assert.Equal("Mistral-7B in float16 at 4,096 tokens needs 15.06 GiB; there is no GPU to compare with — name one (V100-16GB) or give its memory (24GB).",
            table[Dtype.Float16].Verdict);
        var text = table.ToString();
        Assert.StartsWith("Mistral-7B: 7,241,732,096 parameters, 4,096 tokens × 1 with no GPU to compare with", text);
        Assert.Contains("float32     26.98 GiB    1.00 GiB     1.18 GiB   29.64 GiB  no GPU to compare with", text);
        Assert.Contains("no GPU to compare with", table.ToHtml());
        Assert.Contains("no GPU to compare with", table.Chart().ToHtml());
    }

    [Fact]
    public void Int4_is_never_offered_as_a_change_and_the_tools_that_load_it_are_named()
    {
        // MPT-30B on a 24 GB RTX 4090 at 2,048 tokens: int8 weights (28.24 GiB) do not fit, 4-bit ones would.
        var plan = MemoryPlan.For(Config("mpt-30b-instruct"), Dtype.BFloat16, Gpu.Named("RTX4090"), context: 2048, model: "MPT-30B-Instruct");

        Assert.False(plan.Fits);
        Assert.DoesNotContain(plan.Options, o => o.Dtype == Dtype.Int4);
        Assert.DoesNotContain("int4", plan.Verdict);
        var note = Assert.Single(plan.Notes, n => n.StartsWith("With 4-bit weights it would need", StringComparison.Ordinal));
        Assert.Contains("bitsandbytes", note);
        Assert.Contains("llama.cpp", note);
        Assert.Contains("(with another tool: see the note)", MemoryPlan.AllDtypes(Config("mistral-7b"), Gpu.Named("V100-16GB")).ToString());
    }

    [Fact]
    public void A_gpu_already_in_use_leaves_less_room()
    {
        var busy = Gpu.Named("V100-16GB") with { InUseBytes = 15_700L << 20 };
        var plan = MemoryPlan.For(Config("tinyllama-1.1b-chat"), Dtype.Float16, busy, context: 512);

        Assert.False(plan.Fits);
        Assert.Contains(plan.Notes, n => n == "15.33 GiB of the V100-16GB is already in use, so the plan has 684.0 MiB of its 16.00 GiB.");
    }
}
