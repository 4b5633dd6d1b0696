using Walkthrough.Hardware;
using static Walkthrough.Tests.Hardware.ParameterCountTests;

namespace Walkthrough.Tests.Hardware;

/// <summary>The seed's real error, read into numbers and set beside the plan that predicted it.</summary>
public sealed class CudaOutOfMemoryTests
{
    private const long MiB = 1L << 20, GiB = 1L << 30;

    [Fact]
    public void The_seeds_message_reads_into_its_numbers()
    {
        var oom = CudaOutOfMemory.Parse(CudaOutOfMemory.SeedMessage);

        Assert.Equal(250 * MiB, oom.TriedToAllocateBytes);
        Assert.Equal(0, oom.GpuIndex);
        Assert.Equal((long)Math.Round(15.77 * GiB), oom.TotalCapacityBytes);
        Assert.Equal((long)Math.Round(74.38 * MiB), oom.FreeBytes);
        Assert.Equal(88467, oom.ProcessId);
        Assert.Equal((long)Math.Round(15.70 * GiB), oom.ProcessInUseBytes);
        Assert.Equal((long)Math.Round(15.21 * GiB), oom.AllocatedByPyTorchBytes);
        Assert.Equal((long)Math.Round(137.42 * MiB), oom.ReservedUnallocatedBytes);
    }

    [Fact]
    public void Beside_the_plan_each_line_is_explained_with_numbers()
    {
        var plan = MemoryPlan.For(Config("mistral-7b"), Dtype.Float32, Gpu.Named("V100-16GB"), model: "Mistral-7B");
        var reading = CudaOutOfMemory.Parse(CudaOutOfMemory.SeedMessage).Beside(plan, driverReservedBytes: 232 * MiB);
        var says = reading.Lines.Select(l => l.Says).ToList();

        Assert.Equal(
        [
            "Tried to allocate 250.00 MiB", "GPU 0 has a total capacity of 15.77 GiB", "of which 74.38 MiB is free",
            "Process 88467 has 15.70 GiB memory in use", "15.21 GiB is allocated by PyTorch", "137.42 MiB is reserved by PyTorch but unallocated",
            "(the rest: 15.70 GiB − 15.21 GiB − 137.42 MiB = 364.34 MiB)", "the plan, before loading",
        ], says);
        string Means(int i) => reading.Lines[i].Means;
        // 250 MiB = 262,144,000 bytes = 32,000 × 4,096 numbers × 2 bytes: the embedding (or output head) as stored.
        Assert.Contains("262,144,000 bytes", Means(0));
        Assert.Contains("exactly one 32,000 × 4,096 matrix in 16-bit numbers — model.embed_tokens.weight or lm_head.weight of Mistral-7B", Means(0));
        // 16 GiB − 15.77 GiB = 235.5 MiB; nvidia-smi said 232 MiB Reserved; 3.5 MiB is rounding.
        Assert.Contains("The V100-16GB is sold as 16.00 GiB", Means(1));
        Assert.Contains("235.5 MiB of it never reaches CUDA", Means(1));
        Assert.Contains("nvidia-smi lists 232.0 MiB as Reserved; the other 3.5 MiB is the message's rounding", Means(1));
        Assert.Contains("Free + this process's 15.70 GiB = 15.77 GiB", Means(2));
        // 15.21 of 26.98 GiB of float32 weights: 56 %.
        Assert.Contains("float32 weights at 26.98 GiB: 56% of them were in", Means(4));
        Assert.Contains("caching allocator", Means(5));
        Assert.Contains("CUDA context", Means(6));
        Assert.Equal(plan.Verdict, Means(7));
        Assert.Contains("<th style=", reading.ToHtml());
        Assert.Contains("Tried to allocate 250.00 MiB\n    The one request that failed", reading.ToString());
    }

    [Fact]
    public void Pytorch_1_wording_reads_too()
    {
        var oom = CudaOutOfMemory.Parse(
            "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.77 GiB total capacity; 14.68 GiB already allocated; " +
            "11.88 MiB free; 14.93 GiB reserved in total by PyTorch)");

        Assert.Equal(20 * MiB, oom.TriedToAllocateBytes);
        Assert.Equal((long)Math.Round(11.88 * MiB), oom.FreeBytes);
        Assert.Equal((long)Math.Round(14.68 * GiB), oom.AllocatedByPyTorchBytes);
        Assert.Equal((long)Math.Round(14.93 * GiB) - (long)Math.Round(14.68 * GiB), oom.ReservedUnallocatedBytes);
        Assert.Null(oom.ProcessInUseBytes);
    }

    [Fact]
    public void Another_text_says_what_was_expected()
    {
        var error = Assert.Throws<WalkthroughException>(() => CudaOutOfMemory.Parse("Segmentation fault (core dumped)"));
        Assert.StartsWith("This is not PyTorch's CUDA out-of-memory message", error.Message);
    }
}
