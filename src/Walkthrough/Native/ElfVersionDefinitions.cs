namespace Walkthrough.Native;

/// <summary>
/// Reads <c>.gnu.version_d</c>: the symbol versions a library defines, such as libstdc++'s
/// GLIBCXX_3.4 … GLIBCXX_3.4.30 on Debian 12. A library that needs a version missing here is refused by the loader.
/// Layout (elf.h): <c>Elf64_Verdef</c> records (vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32,
/// vd_aux u32, vd_next u32); the first <c>Elf64_Verdaux</c> (vda_name u32, vda_next u32) of each holds its name.
/// </summary>
internal static class ElfVersionDefinitions
{
    private const int DefinitionSize = 20;
    private const int AuxSize = 8;
    private const ushort BaseFlag = 1; // VER_FLG_BASE: the entry naming the file itself, not a version

    public static IReadOnlySet<string> Read(ElfFile elf)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        if (elf.SectionOfType(ElfFile.SectionVersionDefinitions) is not { } section)
            return versions;
        var names = elf.LinkedSection(section);
        var at = section.Offset;
        for (var n = 0u; n < section.Info; n++) // sh_info = number of Elf64_Verdef records
        {
            elf.CheckInside(section, at, DefinitionSize, $"version definition {n}");
            var aux = at + elf.U32(at + 12);
            elf.CheckInside(section, aux, AuxSize, $"name of version definition {n}");
            if ((elf.U16(at + 2) & BaseFlag) == 0)
                versions.Add(elf.StringAt(names, elf.U32(aux)));
            var next = elf.U32(at + 16);
            if (next == 0)
                break;
            at += next;
        }
        return versions;
    }
}
