using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

/// <summary>The patch, run on a temporary copy of TorchSharp 0.107's real libLibTorchSharp.so.</summary>
public sealed class GlibcxxPatchTests
{
    private readonly ElfFile library = ElfFile.Read(NativeFiles.TempCopy(NativeFiles.LibTorchSharp));

    private VersionNeed Glibcxx3432 =>
        ElfVersionNeeds.Read(library).Single(need => need is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32" });

    /// <summary>What GCC 12's libstdc++ (Debian 12) offers this library: every version it needs but GLIBCXX_3.4.32.</summary>
    private IReadOnlySet<string> Gcc12Versions(params string[] alsoMissing) =>
        ElfVersionNeeds.Read(library)
            .Select(need => need.Version)
            .Except(["GLIBCXX_3.4.32", .. alsoMissing])
            .ToHashSet();

    [Fact]
    public void TorchSharp_0_107_requires_GLIBCXX_3_4_32_from_libstdcxx_as_a_hard_requirement()
    {
        Assert.False(Glibcxx3432.IsWeak);
        Assert.Equal(0, Glibcxx3432.Flags);
    }

    [Fact]
    public void Patching_marks_only_the_GLIBCXX_3_4_32_requirement_weak()
    {
        var before = ElfVersionNeeds.Read(library);

        var patched = GlibcxxPatch.PatchFor(library, Gcc12Versions())!;
        var after = ElfVersionNeeds.Read(ElfFile.Parse("patched", patched));

        Assert.True(after.Single(need => need.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(
            before.Where(need => need.Version != "GLIBCXX_3.4.32"),
            after.Where(need => need.Version != "GLIBCXX_3.4.32"));
        var changed = Enumerable.Range(0, patched.Length).Where(i => patched[i] != library.Bytes[i]).ToList();
        Assert.Equal([(int)Glibcxx3432.FlagsOffset], changed); // vna_flags 0 -> 2: one byte of the little-endian u16
        Assert.Equal(library.Bytes.Length, patched.Length);
    }

    [Fact]
    public void Patching_leaves_the_file_it_read_untouched()
    {
        var onDisk = File.ReadAllBytes(library.Path);

        GlibcxxPatch.PatchFor(library, Gcc12Versions());

        Assert.Equal(onDisk, library.Bytes);
        Assert.Equal(onDisk, File.ReadAllBytes(library.Path));
    }

    [Fact]
    public void No_relocation_binds_a_symbol_at_GLIBCXX_3_4_32()
    {
        Assert.Empty(ElfRelocations.SymbolsBoundAt(library, Glibcxx3432.Index));
    }

    [Fact]
    public void Relocations_do_bind_symbols_at_the_older_GLIBCXX_3_4()
    {
        // readelf -r shows R_X86_64_JUMP_SLOT _ZNSt8ios_baseD2Ev@GLIBCXX_3.4: the check sees real bindings.
        var glibcxx34 = ElfVersionNeeds.Read(library).Single(need => need.Version == "GLIBCXX_3.4");

        Assert.Contains("_ZNSt8ios_baseD2Ev", ElfRelocations.SymbolsBoundAt(library, glibcxx34.Index));
    }

    [Fact]
    public void No_patch_is_made_when_the_system_libstdcxx_defines_GLIBCXX_3_4_32()
    {
        var everything = ElfVersionNeeds.Read(library).Select(need => need.Version).ToHashSet();

        Assert.Null(GlibcxxPatch.PatchFor(library, everything));
    }

    [Fact]
    public void A_missing_version_other_than_GLIBCXX_3_4_32_is_reported_not_patched()
    {
        var error = Assert.Throws<WalkthroughException>(() => GlibcxxPatch.PatchFor(library, Gcc12Versions("GLIBCXX_3.4.30")));

        Assert.Contains(library.Path, error.Message);
        Assert.Contains("needs GLIBCXX_3.4.30 from libstdc++.so.6", error.Message);
    }

    [Fact]
    public void A_symbol_really_bound_at_GLIBCXX_3_4_32_refuses_the_patch()
    {
        var bytes = (byte[])library.Bytes.Clone();
        MoveSymbolToVersion(bytes, "_ZNSt8ios_baseD2Ev", Glibcxx3432.Index);
        var doctored = ElfFile.Parse(library.Path, bytes);

        var error = Assert.Throws<WalkthroughException>(() => GlibcxxPatch.PatchFor(doctored, Gcc12Versions()));

        Assert.Contains("really calls _ZNSt8ios_baseD2Ev from GLIBCXX_3.4.32", error.Message);
    }

    /// <summary>Rewrites one symbol's .gnu.version entry, as if the library had been linked against that version.</summary>
    private void MoveSymbolToVersion(byte[] bytes, string symbol, ushort versionIndex)
    {
        var symbols = library.SectionOfType(ElfFile.SectionDynamicSymbols)!.Value;
        var versions = library.SectionOfType(ElfFile.SectionVersionSymbols)!.Value;
        var names = library.LinkedSection(symbols);
        var index = Enumerable.Range(0, (int)(symbols.Size / 24))
            .Single(i => library.StringAt(names, library.U32(symbols.Offset + (ulong)i * 24)) == symbol);
        BitConverter.TryWriteBytes(bytes.AsSpan((int)versions.Offset + index * 2, 2), versionIndex);
    }
}
