using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class ElfFileTests
{
    [Fact]
    public void A_truncated_library_is_reported_with_its_file_name()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("walkthrough-native-").FullName, "libLibTorchSharp.so");
        File.WriteAllBytes(path, File.ReadAllBytes(NativeFiles.LibTorchSharp).AsSpan(0, 4096).ToArray());

        var error = Assert.Throws<WalkthroughException>(() => ElfFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("past the end", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_reported_with_its_file_name()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("walkthrough-native-").FullName, "libstdc++.so.6");
        File.WriteAllText(path, "/* GNU ld script */ INPUT(libstdc++.so.6.0.30)");

        var error = Assert.Throws<WalkthroughException>(() => ElfFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not an ELF", error.Message);
    }

    [Fact]
    public void A_32_bit_library_is_refused_as_not_linux_x64()
    {
        var bytes = File.ReadAllBytes(NativeFiles.LibTorchSharp);
        bytes[4] = 1; // EI_CLASS: ELFCLASS32

        var error = Assert.Throws<WalkthroughException>(() => ElfFile.Parse("lib32.so", bytes));

        Assert.StartsWith("lib32.so is not a 64-bit", error.Message);
    }

    [Fact]
    public void A_version_need_pointing_outside_its_section_is_reported_with_the_file_name()
    {
        var bytes = File.ReadAllBytes(NativeFiles.LibTorchSharp);
        var needs = ElfFile.Parse("original", bytes).SectionOfType(ElfFile.SectionVersionNeeds)!.Value;
        BitConverter.TryWriteBytes(bytes.AsSpan((int)needs.Offset + 8, 4), 0x7fff_0000u); // vn_aux of the first record

        var error = Assert.Throws<WalkthroughException>(() => ElfVersionNeeds.Read(ElfFile.Parse("damaged.so", bytes)));

        Assert.StartsWith("damaged.so is damaged or truncated", error.Message);
    }
}
