using System.Globalization;
using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Hardware;

/// <summary>One figure of an out-of-memory message and what it means.</summary>
public sealed record OutOfMemoryLine(string Says, string Means);

/// <summary>
/// A CUDA out-of-memory message read line by line — against the plan made before loading, when there is one. In a
/// notebook it shows itself as a two-column table: what the message says, what it means.
/// <code>CudaOutOfMemory.Parse(CudaOutOfMemory.SeedMessage).Beside(plan, driverReservedBytes: 232L &lt;&lt; 20)</code>
/// </summary>
public sealed record OutOfMemoryReading(CudaOutOfMemory Error, MemoryPlan? Plan, IReadOnlyList<OutOfMemoryLine> Lines)
{
    // PyTorch prints two decimals: a figure is good to half of its last digit.
    private const long RoundingBytes = 6L << 10;

    internal static OutOfMemoryReading Of(CudaOutOfMemory error, MemoryPlan? plan, long? driverReservedBytes)
    {
        ArgumentNullException.ThrowIfNull(error);
        var lines = new List<OutOfMemoryLine>
        {
            new($"Tried to allocate {T(error.TriedToAllocateBytes)}", Tried(error, plan)),
            new($"GPU {error.GpuIndex} has a total capacity of {T(error.TotalCapacityBytes)}", Capacity(error, plan, driverReservedBytes)),
            new($"of which {T(error.FreeBytes)} is free",
                $"Free when it failed: less than the {T(error.TriedToAllocateBytes)} asked for, so the request failed." +
                (error.ProcessInUseBytes is { } used
                    ? $" Free + this process's {T(used)} = {T(error.FreeBytes + used)} of the {T(error.TotalCapacityBytes)}: one process held the whole GPU."
                    : "")),
        };
        if (error.ProcessInUseBytes is { } inUse)
            lines.Add(new($"{(error.ProcessId is { } pid ? $"Process {pid}" : "this process")} has {T(inUse)} memory in use",
                "Everything the failing process holds on the GPU: its tensors, PyTorch's cache of freed memory, and the CUDA context."));
        if (error.AllocatedByPyTorchBytes is { } allocated)
            lines.Add(new($"{T(allocated)} is allocated by PyTorch", Allocated(allocated, plan)));
        if (error.ReservedUnallocatedBytes is { } cached)
            lines.Add(new($"{T(cached)} is reserved by PyTorch but unallocated",
                "PyTorch's caching allocator keeps memory that tensors gave back, to reuse it without asking CUDA again: free for PyTorch, " +
                $"taken for everyone else. It was too little — or in pieces too small — for the {T(error.TriedToAllocateBytes)} asked for; " +
                "max_split_size_mb in PYTORCH_CUDA_ALLOC_CONF is about such pieces, and cannot create memory that is not there."));
        if (error is { ProcessInUseBytes: { } all, AllocatedByPyTorchBytes: { } tensors, ReservedUnallocatedBytes: { } cache })
            lines.Add(new($"(the rest: {T(all)} − {T(tensors)} − {T(cache)} = {T(all - tensors - cache)})",
                "Not PyTorch's tensors or cache: the CUDA context — the kernels and libraries (cuBLAS, cuDNN) loaded onto the GPU." +
                (plan is null ? "" : $" The plan allows {B(MemoryPlan.CudaOverheadBytes)} for it and the driver's reserve.")));
        if (plan is not null)
            lines.Add(new("the plan, before loading", plan.Verdict));
        return new OutOfMemoryReading(error, plan, lines);
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<div><table style=\"{Html.TableStyle}\"><thead><tr>");
        foreach (var header in new[] { "the message says", "what it means" })
            html.Append($"<th style=\"{Html.CellStyle}\">{header}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var line in Lines)
            html.Append($"<tr><td style=\"{Html.CellStyle};white-space:nowrap\"><code>{Html.Encode(line.Says)}</code></td>")
                .Append($"<td style=\"{Html.CellStyle};font-family:system-ui,sans-serif\">{Html.Encode(line.Means)}</td></tr>");
        return html.Append("</tbody></table></div>").ToString();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.AppendLine(line.Says);
            text.AppendLine("    " + line.Means);
        }
        return text.ToString();
    }

    private static string Tried(CudaOutOfMemory error, MemoryPlan? plan)
    {
        var bytes = error.TriedToAllocateBytes;
        var said = $"The one request that failed: room for a single tensor of {Number(bytes)} bytes.";
        var matches = plan is null ? [] : plan.Parameters.Groups
            .SelectMany(g => new[] { 4, 2, 1 }.Select(size => (Group: g, Size: size)))
            .Where(m => Math.Abs(m.Group.Rows * m.Group.Columns * m.Size - bytes) <= RoundingBytes)
            .ToList();
        if (matches.Count == 0) return said + " It is not all the model needs: it is whatever came next when memory ran out.";
        var (group, size) = matches[0];
        var names = string.Join(" or ", matches.Where(m => m.Size == size).Select(m => m.Group.Name).Distinct());
        return said + $" That is exactly one {group.Rows:N0} × {group.Columns:N0} matrix in {size * 8}-bit numbers — {names} of {plan!.Model}. " +
               "It is not all the model needs: it is the tensor that happened to come next.";
    }

    private static string Capacity(CudaOutOfMemory error, MemoryPlan? plan, long? driverReservedBytes)
    {
        var said = $"What CUDA can hand out on GPU {error.GpuIndex}, in binary units (1 GiB = 2³⁰ bytes).";
        if (plan?.Gpu is not { } gpu || gpu.MemoryBytes <= error.TotalCapacityBytes) return said;
        var kept = gpu.MemoryBytes - error.TotalCapacityBytes;
        said += $" The {gpu.Name} is sold as {B(gpu.MemoryBytes)} — GPU makers' gigabytes are binary — and {B(kept)} of it never reaches CUDA: " +
                "the driver and firmware keep it";
        return driverReservedBytes is { } reserved
            ? said + $" (nvidia-smi lists {B(reserved)} as Reserved; the other {B(kept - reserved)} is the message's rounding to 0.01 GiB)."
            : said + ", as nvidia-smi's \"Reserved\" line shows.";
    }

    private static string Allocated(long allocated, MemoryPlan? plan)
    {
        var said = "Memory in live tensors: the weights loaded so far.";
        if (plan is null) return said;
        var share = allocated / (double)plan.WeightBytes;
        return share >= 1
            ? said + $" More than the plan's {B(plan.WeightBytes)} of {plan.Dtype.Name()} weights: something else (a second copy, activations) was loaded too."
            : said + $" The plan puts {plan.Model}'s {plan.Dtype.Name()} weights at {B(plan.WeightBytes)}: {share.ToString("0%", CultureInfo.InvariantCulture)} of them were in when memory ran out; the rest never had room.";
    }

    private static string B(long bytes) => Units.Bytes(bytes);

    // As PyTorch prints sizes (format_size): two decimals, so a quoted figure reads as in the message.
    private static string T(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1L << 20 => (bytes / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " KiB",
        < 1L << 30 => (bytes / (double)(1L << 20)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
