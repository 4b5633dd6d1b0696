using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class SystemLibStdCxxTests
{
    [LinuxFact]
    public void The_system_libstdcxx_defines_exactly_the_GLIBCXX_versions_strings_finds_in_it()
    {
        // On Debian 12 both list 31 names, GLIBCXX_3.4 and GLIBCXX_3.4.1 … GLIBCXX_3.4.30: no 3.4.31, no 3.4.32.
        var defined = ElfVersionDefinitions.Read(ElfFile.Read(NativeFiles.SystemLibStdCxx))
            .Where(version => version.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Equal(NativeFiles.GlibcxxStrings(NativeFiles.SystemLibStdCxx).Order(), defined.Order());
    }

    [LinuxFact]
    public void The_system_libstdcxx_also_defines_its_CXXABI_versions_but_not_its_own_name()
    {
        var defined = ElfVersionDefinitions.Read(ElfFile.Read(NativeFiles.SystemLibStdCxx));

        Assert.Contains("CXXABI_1.3", defined);
        Assert.DoesNotContain("libstdc++.so.6", defined);
    }
}
