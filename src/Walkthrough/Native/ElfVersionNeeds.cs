namespace Walkthrough.Native;

/// <summary>
/// Reads <c>.gnu.version_r</c>: for each library a file depends on, the symbol versions it requires from it.
/// Layout (elf.h): <c>Elf64_Verneed</c> records (vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32),
/// each reaching its <c>vn_cnt</c> <c>Elf64_Vernaux</c> records (vna_hash u32, vna_flags u16, vna_other u16,
/// vna_name u32, vna_next u32) through relative offsets.
/// </summary>
internal static class ElfVersionNeeds
{
    private const int NeedSize = 16;
    private const int AuxSize = 16;

    public static IReadOnlyList<VersionNeed> Read(ElfFile elf)
    {
        if (elf.SectionOfType(ElfFile.SectionVersionNeeds) is not { } section)
            return [];
        var names = elf.LinkedSection(section);
        var needs = new List<VersionNeed>();
        var at = section.Offset;
        for (var n = 0u; n < section.Info; n++) // sh_info = number of Elf64_Verneed records
        {
            elf.CheckInside(section, at, NeedSize, $"version-need record {n}");
            var count = elf.U16(at + 2);
            var library = elf.StringAt(names, elf.U32(at + 4));
            var aux = at + elf.U32(at + 8);
            for (var k = 0; k < count; k++)
            {
                elf.CheckInside(section, aux, AuxSize, $"version {k} needed from {library}");
                needs.Add(new VersionNeed(
                    Library: library,
                    Version: elf.StringAt(names, elf.U32(aux + 8)),
                    Flags: elf.U16(aux + 4),
                    Index: elf.U16(aux + 6),
                    FlagsOffset: aux + 4));
                var nextAux = elf.U32(aux + 12);
                if (nextAux == 0 && k < count - 1)
                    throw elf.Malformed($"{library} lists {count} needed versions but links only {k + 1}");
                aux += nextAux;
            }
            var next = elf.U32(at + 12);
            if (next == 0)
                break;
            at += next;
        }
        return needs;
    }
}
