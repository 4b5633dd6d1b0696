using System.Globalization;
using System.Text.RegularExpressions;

namespace Walkthrough.Hardware;

/// <summary>
/// PyTorch's "CUDA out of memory" message, read into its numbers — the error the seed notebook ended with.
/// <code>var oom = CudaOutOfMemory.Parse(message);
/// oom.Beside(plan)   // each figure of the message, what it means, and what the plan said before loading</code>
/// Both wordings PyTorch has used are read: 2.x's "GPU 0 has a total capacity of … of which … is free. Process … has
/// … memory in use. Of the allocated memory … is allocated by PyTorch, and … is reserved by PyTorch but unallocated",
/// and 1.x's "(GPU 0; … total capacity; … already allocated; … free; … reserved in total by PyTorch)".
/// PyTorch rounds every figure to two decimals of its unit, so sums of them are good to a few MiB.
/// </summary>
public sealed partial record CudaOutOfMemory
{
    /// <summary>The message the seed notebook printed when Mistral-7B did not fit its 16 GB V100 (PyTorch's own typo kept).</summary>
    public const string SeedMessage =
        "OutOfMemoryError: CUDA out of memory. Tried to allocate 250.00 MiB. GPU 0 has a total capacty of 15.77 GiB of which " +
        "74.38 MiB is free. Process 88467 has 15.70 GiB memory in use. Of the allocated memory 15.21 GiB is allocated by " +
        "PyTorch, and 137.42 MiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try " +
        "setting max_split_size_mb to avoid fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF";

    public required string Message { get; init; }

    /// <summary>The one allocation that failed.</summary>
    public required long TriedToAllocateBytes { get; init; }

    public required int GpuIndex { get; init; }

    /// <summary>What CUDA can hand out on that GPU: its memory less what the driver keeps for itself.</summary>
    public required long TotalCapacityBytes { get; init; }

    /// <summary>Free at the moment of failure.</summary>
    public required long FreeBytes { get; init; }

    /// <summary>The failing process's id, when the message names it.</summary>
    public int? ProcessId { get; init; }

    /// <summary>All GPU memory of the failing process: tensors, PyTorch's cache and the CUDA context.</summary>
    public long? ProcessInUseBytes { get; init; }

    /// <summary>Memory in live tensors.</summary>
    public long? AllocatedByPyTorchBytes { get; init; }

    /// <summary>Memory PyTorch's caching allocator holds but no tensor uses.</summary>
    public long? ReservedUnallocatedBytes { get; init; }

    /// <summary>Reads the numbers out of the message; a text that is not PyTorch's out-of-memory message is an error that says what was expected.</summary>
    public static CudaOutOfMemory Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Regex.Replace(message, @"\s+", " ");
        var tried = TriedPattern().Match(text);
        var current = CapacityPattern().Match(text);
        var old = OldPattern().Match(text);
        if (!tried.Success || !(current.Success || old.Success))
            throw new WalkthroughException(
                "This is not PyTorch's CUDA out-of-memory message: expected \"Tried to allocate … MiB\" and \"GPU 0 has a total capacity of … GiB of which … is free\" " +
                "(or the older \"(GPU 0; … total capacity; … free …)\"). Paste the whole message.");
        if (current.Success)
        {
            var process = ProcessPattern().Match(text);
            var split = SplitPattern().Match(text);
            return new CudaOutOfMemory
            {
                Message = message.Trim(),
                TriedToAllocateBytes = Bytes(tried.Groups["size"].Value),
                GpuIndex = int.Parse(current.Groups["gpu"].Value, CultureInfo.InvariantCulture),
                TotalCapacityBytes = Bytes(current.Groups["total"].Value),
                FreeBytes = Bytes(current.Groups["free"].Value),
                ProcessId = process.Success && process.Groups["pid"].Success ? int.Parse(process.Groups["pid"].Value, CultureInfo.InvariantCulture) : null,
                ProcessInUseBytes = process.Success ? Bytes(process.Groups["used"].Value) : null,
                AllocatedByPyTorchBytes = split.Success ? Bytes(split.Groups["allocated"].Value) : null,
                ReservedUnallocatedBytes = split.Success ? Bytes(split.Groups["cached"].Value) : null,
            };
        }
        // PyTorch 1.x: "reserved in total" counts the allocated memory too.
        var allocated = Bytes(old.Groups["allocated"].Value);
        var reserved = old.Groups["reserved"].Success ? Bytes(old.Groups["reserved"].Value) : (long?)null;
        return new CudaOutOfMemory
        {
            Message = message.Trim(),
            TriedToAllocateBytes = Bytes(tried.Groups["size"].Value),
            GpuIndex = int.Parse(old.Groups["gpu"].Value, CultureInfo.InvariantCulture),
            TotalCapacityBytes = Bytes(old.Groups["total"].Value),
            FreeBytes = Bytes(old.Groups["free"].Value),
            AllocatedByPyTorchBytes = allocated,
            ReservedUnallocatedBytes = reserved - allocated,
        };
    }

    /// <summary>
    /// The message line by line, against a plan made before loading when there is one. <paramref name="driverReservedBytes"/>
    /// is what nvidia-smi lists as "Reserved" for that GPU (the seed's V100: 232 MiB), when you have it.
    /// </summary>
    public OutOfMemoryReading Beside(MemoryPlan? plan = null, long? driverReservedBytes = null) => OutOfMemoryReading.Of(this, plan, driverReservedBytes);

    public string ToHtml() => Beside().ToHtml();

    public override string ToString() => Beside().ToString();

    // "250.00 MiB", "1.2 GiB", "512 bytes": PyTorch's format_size.
    private static long Bytes(string size)
    {
        var parts = size.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var number = decimal.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        var unit = parts[1] switch
        {
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            "TiB" => 1L << 40,
            _ => 1L,
        };
        return (long)decimal.Round(number * unit);
    }

    private const string Size = @"\d+(?:\.\d+)? (?:bytes|KiB|MiB|GiB|TiB)";

    [GeneratedRegex($@"Tried to allocate (?<size>{Size})")]
    private static partial Regex TriedPattern();

    [GeneratedRegex($@"GPU (?<gpu>\d+) has a total capac(?:i)?ty of (?<total>{Size}) of which (?<free>{Size}) is free")]
    private static partial Regex CapacityPattern();

    [GeneratedRegex($@"(?:Process (?<pid>\d+)|this process) has (?<used>{Size}) memory in use")]
    private static partial Regex ProcessPattern();

    [GeneratedRegex($@"(?<allocated>{Size}) is allocated by PyTorch, and (?<cached>{Size}) is reserved by PyTorch but unallocated")]
    private static partial Regex SplitPattern();

    [GeneratedRegex($@"\(GPU (?<gpu>\d+); (?<total>{Size}) total capacity; (?<allocated>{Size}) already allocated; (?<free>{Size}) free(?:; (?<reserved>{Size}) reserved in total by PyTorch)?")]
    private static partial Regex OldPattern();
}
