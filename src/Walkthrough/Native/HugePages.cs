using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Walkthrough.Native;

/// <summary>
/// Asks Linux to back a large CPU tensor with 2 MB pages (madvise MADV_HUGEPAGE) before its values are written. A
/// decode step streams every weight once; with 4 KB pages the CPU's prefetchers stop at every page boundary and each
/// 4 KB costs a TLB miss (llama.cpp's memory-mapped weights get large pages from the page cache). Where transparent
/// huge pages are off, on other systems and for tensors under 4 MB nothing happens.
/// </summary>
internal static class HugePages
{
    private const long Page = 2 << 20;
    private const int MadvHugePage = 14;

    /// <summary>Advises the whole 2 MB pages of a contiguous tensor whose memory nothing has touched yet.</summary>
    public static void Advise(Tensor tensor)
    {
        var bytes = tensor.NumberOfElements * tensor.ElementSize;
        if (!OperatingSystem.IsLinux() || tensor.device_type != TorchSharp.DeviceType.CPU || bytes < 2 * Page) return;
        using var flat = tensor.view(-1);
        using var head = flat.narrow(0, 0, 1);
        var start = Address(head.bytes);
        var (first, end) = ((start + Page - 1) / Page * Page, (start + bytes) / Page * Page);
        if (end > first) _ = madvise((nint)first, (nuint)(end - first), MadvHugePage); // advice: a refusal changes nothing
    }

    private static unsafe long Address(Span<byte> memory)
    {
        fixed (byte* start = memory) return (long)start;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(nint address, nuint length, int advice);
}
