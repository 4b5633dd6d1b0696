using Walkthrough.Hardware;
using static Walkthrough.Tests.Hardware.ParameterCountTests;

namespace Walkthrough.Tests.Hardware;

/// <summary>Bytes of weights and KV cache, checked by hand for one model of each architecture.</summary>
public sealed class WeightBytesTests
{
    [Fact]
    public void TinyLlama_bytes_by_hand()
    {
        var config = Config("tinyllama-1.1b-chat");
        var count = ParameterCount.Of(config);

        // 16 and 32 bits: 2 and 4 bytes for each of the 1,100,048,384 parameters.
        Assert.Equal(2_200_096_768L, WeightStorage.Bytes(count, Dtype.Float16));
        Assert.Equal(2_200_096_768L, WeightStorage.Bytes(count, Dtype.BFloat16));
        Assert.Equal(4_400_193_536L, WeightStorage.Bytes(count, Dtype.Float32));

        // int8. Linear weights per layer (out × in): q 2048×2048, k 256×2048, v 256×2048, o 2048×2048,
        // gate 5632×2048, up 5632×2048, down 2048×5632 = 44,040,192 numbers in 17,920 rows; × 22 layers
        // = 968,884,224 numbers, 394,240 rows; the untied lm_head 32,000×2048 = 65,536,000 numbers, 32,000 rows.
        // One byte a number + 2 bytes a row: 1,034,420,224 + 2 · 426,240 = 1,035,272,704.
        // Kept 16-bit: embeddings 65,536,000 + norms (2·22 + 1)·2048 = 92,160 → 2 · 65,628,160 = 131,256,320.
        Assert.Equal(1_035_272_704L + 131_256_320, WeightStorage.Bytes(count, Dtype.Int8));

        // int4: half a byte a number, 1,034,420,224 / 2 = 517,210,112; a 2-byte scale per 128 inputs of a row:
        // per layer 2048·16 + 256·16 + 256·16 + 2048·16 + 5632·16 + 5632·16 + 2048·44 = 344,064 groups, × 22
        // = 7,569,408; lm_head 32,000·16 = 512,000 → 8,081,408 groups · 2 = 16,162,816. Plus the same 131,256,320.
        Assert.Equal(517_210_112L + 16_162_816 + 131_256_320, WeightStorage.Bytes(count, Dtype.Int4));

        // KV cache per token in float16: 2 (k and v) · 22 layers · 4 kv heads · 64 head_dim · 2 bytes.
        Assert.Equal(22_528L, MemoryPlan.For(config, Dtype.Float16, Gpu.Named("T4")).KvCacheBytesPerToken);
    }

    [Fact]
    public void Mpt_7b_bytes_by_hand()
    {
        var config = Config("mpt-7b-instruct");
        var count = ParameterCount.Of(config);

        // bfloat16: 6,649,286,656 · 2.
        Assert.Equal(13_298_573_312L, WeightStorage.Bytes(count, Dtype.BFloat16));

        // int8. Per layer Wqkv 12288×4096, out_proj 4096×4096, up 16384×4096, down 4096×16384: 12·4096² =
        // 201,326,592 bytes and 9·4096 = 36,864 rows of 2-byte scales = 73,728; × 32 layers = 6,444,810,240.
        // 16-bit rest: wte 50,432·4096 = 206,569,472 and LayerNorm weights (2·32 + 1)·4096 = 266,240 (no biases),
        // · 2 = 413,671,424. Tied head: nothing more.
        Assert.Equal(6_444_810_240L + 413_671_424, WeightStorage.Bytes(count, Dtype.Int8));

        // KV cache per token in bfloat16: 2 · 32 layers · 32 heads (no grouping) · 128 · 2 bytes = 0.5 MiB.
        var plan = MemoryPlan.For(config, Dtype.BFloat16, Gpu.Named("A10"));
        Assert.Equal(524_288L, plan.KvCacheBytesPerToken);
        Assert.Equal(524_288L * 2_048, plan.KvCacheBytes); // at max_seq_len 2048
    }

    [Fact]
    public void Gpt2_bytes_by_hand()
    {
        var config = Config("gpt2");
        var count = ParameterCount.Of(config);

        // float32: 124,439,808 · 4.
        Assert.Equal(497_759_232L, WeightStorage.Bytes(count, Dtype.Float32));

        // int8. Conv1D weights are Linear weights stored (in, out); per layer c_attn 2304×768, c_proj 768×768,
        // c_fc 3072×768, c_proj 768×3072 = 768·9216 = 7,077,888 numbers in 2304 + 768 + 3072 + 768 = 6,912 rows;
        // × 12 = 84,934,656 bytes + 2 · 82,944 = 165,888 bytes of scales. The other 124,439,808 − 84,934,656
        // = 39,505,152 numbers (wte, wpe, biases, LayerNorms) in 16 bits = 79,010,304.
        Assert.Equal(84_934_656L + 165_888 + 79_010_304, WeightStorage.Bytes(count, Dtype.Int8));

        // KV cache per token in float32: 2 · 12 layers · 12 heads · 64 · 4 bytes; activations per token
        // (4·768 + 2·3072 + 50,257) · 4 bytes.
        var plan = MemoryPlan.For(config, Dtype.Float32, Gpu.Named("T4"));
        Assert.Equal(73_728L, plan.KvCacheBytesPerToken);
        Assert.Equal((3_072L + 6_144 + 50_257) * 4, plan.ActivationBytesPerToken);
        Assert.Equal(1_024, plan.Context); // n_positions
    }
}
