using Walkthrough.Hardware;

namespace Walkthrough.Tests.Hardware;

public sealed class GpuTests
{
    // NVIDIA's data sheets in binary gigabytes (the seed's V100 showed 16384 MiB in nvidia-smi) and compute capability.
    [Theory]
    [InlineData("T4-16GB", 16, "7.5")]
    [InlineData("V100-16GB", 16, "7.0")]
    [InlineData("V100-32GB", 32, "7.0")]
    [InlineData("A10-24GB", 24, "8.6")]
    [InlineData("RTX4090-24GB", 24, "8.9")]
    [InlineData("L4-24GB", 24, "8.9")]
    [InlineData("A100-40GB", 40, "8.0")]
    [InlineData("A100-80GB", 80, "8.0")]
    [InlineData("H100-80GB", 80, "9.0")]
    [InlineData("H200-141GB", 141, "9.0")]
    public void Known_gpus_have_their_data_sheet_memory(string name, long gigabytes, string capability)
    {
        var gpu = Gpu.Named(name);
        Assert.Equal(name, gpu.Name);
        Assert.Equal(gigabytes << 30, gpu.MemoryBytes);
        Assert.Equal(Version.Parse(capability), gpu.ComputeCapability);
        Assert.Equal(0, gpu.InUseBytes);
    }

    // What NVML calls them, and what people type.
    [Theory]
    [InlineData("Tesla V100-SXM2-16GB", "V100-16GB")]
    [InlineData("Tesla V100-PCIE-32GB", "V100-32GB")]
    [InlineData("Tesla T4", "T4-16GB")]
    [InlineData("t4", "T4-16GB")]
    [InlineData("NVIDIA A10", "A10-24GB")]
    [InlineData("NVIDIA GeForce RTX 4090", "RTX4090-24GB")]
    [InlineData("NVIDIA L4", "L4-24GB")]
    [InlineData("NVIDIA A100-SXM4-40GB", "A100-40GB")]
    [InlineData("NVIDIA A100 80GB PCIe", "A100-80GB")]
    [InlineData("NVIDIA H100 80GB HBM3", "H100-80GB")]
    [InlineData("h100", "H100-80GB")]
    [InlineData("NVIDIA H200", "H200-141GB")]
    [InlineData("v100 16gb", "V100-16GB")]
    public void Gpus_are_found_by_the_names_people_and_nvml_use(string name, string known)
    {
        Assert.Equal(known, Gpu.Named(name).Name);
    }

    [Fact]
    public void Only_gpus_from_8_0_compute_bfloat16()
    {
        Assert.False(Gpu.Named("T4").ComputesBFloat16);
        Assert.False(Gpu.Named("V100-16GB").ComputesBFloat16);
        Assert.True(Gpu.Named("A100-40GB").ComputesBFloat16);
        Assert.True(Gpu.WithMemory("24GB").ComputesBFloat16); // unknown: assume a current GPU
    }

    [Fact]
    public void A_model_that_comes_in_two_sizes_needs_its_size()
    {
        Assert.Equal("V100 comes in 2 sizes: say V100-16GB or V100-32GB.", Assert.Throws<WalkthroughException>(() => Gpu.Named("V100")).Message);
        Assert.Equal("a100 comes in 2 sizes: say A100-40GB or A100-80GB.", Assert.Throws<WalkthroughException>(() => Gpu.Named("a100")).Message);
    }

    [Fact]
    public void An_unknown_gpu_lists_the_known_ones()
    {
        var error = Assert.Throws<WalkthroughException>(() => Gpu.Named("B200"));
        Assert.Equal(
            "\"B200\" is not a GPU the planner knows. Known: T4-16GB, V100-16GB, V100-32GB, A10-24GB, RTX4090-24GB, L4-24GB, " +
            "A100-40GB, A100-80GB, H100-80GB, H200-141GB. Or give its memory, e.g. \"24GB\".",
            error.Message);
    }

    // GPU makers sell memory in binary units: a learner's "16GB" is the 16,384 MiB nvidia-smi shows, as in V100-16GB.
    [Theory]
    [InlineData("16GB", 17_179_869_184L)]
    [InlineData("16GiB", 17_179_869_184L)]
    [InlineData("24 gb", 25_769_803_776L)]
    [InlineData("512MiB", 536_870_912L)]
    [InlineData("512MB", 536_870_912L)]
    [InlineData("1.5TB", 1_649_267_441_664L)]
    [InlineData("17179869184", 17_179_869_184L)]
    public void Sizes_read_in_binary_units_as_gpu_makers_count(string size, long bytes)
    {
        Assert.Equal(bytes, Gpu.WithMemory(size).MemoryBytes);
    }

    [Fact]
    public void A_size_says_how_it_was_read()
    {
        Assert.Equal("you gave 16GB, read as 16 GiB (17,179,869,184 bytes): GPU memory is sold in binary units; give a number of bytes for anything else",
            Gpu.WithMemory("16GB").Source);
        Assert.Equal("you gave 16GiB (17,179,869,184 bytes)", Gpu.WithMemory("16GiB").Source);
        Assert.Equal("you gave 16000000000 (16,000,000,000 bytes)", Gpu.WithMemory("16000000000").Source);
        Assert.Equal(Gpu.Named("V100-16GB").MemoryBytes, Gpu.Parse("16GB").MemoryBytes);
    }

    [Fact]
    public void Parse_takes_a_name_or_a_size()
    {
        Assert.Equal("L4-24GB", Gpu.Parse("L4").Name);
        Assert.Equal("24 GiB GPU", Gpu.Parse("24GB").Name);
        Assert.Equal(1L << 34, Gpu.Parse("16GiB").MemoryBytes);
    }

    [Theory]
    [InlineData("-5GB", "GPU memory \"-5GB\" must be more than zero bytes.")]
    [InlineData("0GB", "GPU memory \"0GB\" must be more than zero bytes.")]
    [InlineData("999TB", "GPU memory \"999TB\" is more than any single GPU holds (the largest have under 300 GB): give the memory of one GPU, e.g. 80GB.")]
    [InlineData("lots", "\"lots\" is not a memory size: write it like 24GB, 16GiB, 512MiB or a number of bytes.")]
    [InlineData("24 GB of RAM", "\"24 GB of RAM\" is not a memory size: write it like 24GB, 16GiB, 512MiB or a number of bytes.")]
    public void Bad_sizes_say_what_is_wrong(string size, string message)
    {
        Assert.Equal(message, Assert.Throws<WalkthroughException>(() => Gpu.WithMemory(size)).Message);
    }

    [Fact]
    public void Bad_byte_counts_and_unknown_text_say_what_is_wrong()
    {
        Assert.Equal("GPU memory must be more than zero bytes (got -1).", Assert.Throws<WalkthroughException>(() => Gpu.WithMemory(-1L)).Message);
        Assert.StartsWith("5000000000000 bytes is more than any single GPU holds", Assert.Throws<WalkthroughException>(() => Gpu.WithMemory(5_000_000_000_000L)).Message);
        Assert.StartsWith("\"potato\" is neither a GPU the planner knows nor a memory size. Known: T4-16GB,",
            Assert.Throws<WalkthroughException>(() => Gpu.Parse("potato")).Message);
    }
}
