namespace Walkthrough.Native;

/// <summary>
/// Which symbols the dynamic loader must bind, and at which version: every relocation in a section linked to
/// <c>.dynsym</c> (<c>.rela.dyn</c>, <c>.rela.plt</c>) names a symbol, and <c>.gnu.version</c> gives each symbol its
/// version index (the <c>vna_other</c> of a <see cref="VersionNeed"/>). A version that no relocation uses is
/// never needed at run time, only checked for.
/// </summary>
internal static class ElfRelocations
{
    private const int SymbolSize = 24;  // Elf64_Sym
    private const int RelaSize = 24;    // Elf64_Rela: r_offset u64, r_info u64, r_addend i64
    private const int RelSize = 16;     // Elf64_Rel: r_offset u64, r_info u64
    private const ushort HiddenBit = 0x8000;

    /// <summary>Names of the symbols that relocations bind at version <paramref name="versionIndex"/>.</summary>
    public static IReadOnlyList<string> SymbolsBoundAt(ElfFile elf, ushort versionIndex)
    {
        if (elf.SectionOfType(ElfFile.SectionDynamicSymbols) is not { } symbols
            || elf.SectionOfType(ElfFile.SectionVersionSymbols) is not { } versions)
            return [];
        if (symbols.EntrySize != SymbolSize)
            throw elf.Malformed($"dynamic symbols are {symbols.EntrySize} bytes each, not {SymbolSize}");
        var symbolCount = symbols.Size / SymbolSize;
        if (versions.Size != symbolCount * 2)
            throw elf.Malformed($"the symbol version table has {versions.Size / 2} entries for {symbolCount} symbols");
        var names = elf.LinkedSection(symbols);

        var bound = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in elf.Sections)
        {
            if ((section.Type != ElfFile.SectionRela && section.Type != ElfFile.SectionRel) || section.Link != symbols.Index)
                continue;
            var entrySize = section.Type == ElfFile.SectionRela ? RelaSize : RelSize;
            if (section.EntrySize != (ulong)entrySize || section.Size % (ulong)entrySize != 0)
                throw elf.Malformed($"relocation section {section.Index} does not hold whole {entrySize}-byte entries");
            for (var at = section.Offset; at < section.Offset + section.Size; at += (ulong)entrySize)
            {
                var symbol = elf.U64(at + 8) >> 32; // r_info: symbol index in the high 32 bits, type in the low
                if (symbol == 0)
                    continue; // relative relocations name no symbol
                if (symbol >= symbolCount)
                    throw elf.Malformed($"a relocation in section {section.Index} names symbol {symbol} of {symbolCount}");
                var version = (ushort)(elf.U16(versions.Offset + symbol * 2) & ~HiddenBit);
                if (version == versionIndex)
                    bound.Add(elf.StringAt(names, elf.U32(symbols.Offset + symbol * SymbolSize)));
            }
        }
        return [.. bound];
    }
}
