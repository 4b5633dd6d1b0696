using Walkthrough.Native;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Native;

public sealed class HugePagesTests
{
    public HugePagesTests() => TorchRuntime.Ensure();

    [LinuxFact]
    public void A_large_tensor_advised_before_it_is_written_lies_on_2_MB_pages_where_linux_offers_them()
    {
        var mode = File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") ? File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled") : "";
        using var tensor = empty(32 << 20, float32); // 128 MB, untouched
        var before = AnonymousHugePages();

        HugePages.Advise(tensor);
        tensor.fill_(1);

        if (!mode.Contains("[madvise]") && !mode.Contains("[always]")) return; // nothing to ask for: the call did no harm
        Assert.True(AnonymousHugePages() - before >= 2 << 20, $"huge pages grew by {(AnonymousHugePages() - before) >> 20} MB for a 128 MB tensor");
    }

    private static long AnonymousHugePages() =>
        File.ReadLines("/proc/self/smaps_rollup").Where(l => l.StartsWith("AnonHugePages:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Sum();
}
