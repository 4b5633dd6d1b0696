using System.Buffers.Binary;
using System.Text;

namespace Walkthrough.Native;

/// <summary>
/// A 64-bit little-endian ELF file (a Linux shared library) held in memory, read through its section headers.
/// Every read is bounds-checked, so a truncated or foreign file becomes a <see cref="WalkthroughException"/>
/// that names the file instead of an index error.
/// </summary>
internal sealed class ElfFile
{
    // Section types this kit reads (elf.h).
    public const uint SectionRela = 4;
    public const uint SectionRel = 9;
    public const uint SectionDynamicSymbols = 11;
    public const uint SectionVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef, .gnu.version_d
    public const uint SectionVersionNeeds = 0x6ffffffe;       // SHT_GNU_verneed, .gnu.version_r
    public const uint SectionVersionSymbols = 0x6fffffff;     // SHT_GNU_versym, .gnu.version

    private const uint SectionNoBits = 8; // SHT_NOBITS (.bss, .tbss): takes memory, no bytes in the file
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;

    private ElfFile(string path, byte[] bytes, IReadOnlyList<ElfSection> sections)
    {
        Path = path;
        Bytes = bytes;
        Sections = sections;
    }

    public string Path { get; }

    /// <summary>The whole file; callers that patch it work on a copy.</summary>
    public byte[] Bytes { get; }

    public IReadOnlyList<ElfSection> Sections { get; }

    public static ElfFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalkthroughException($"Could not read {path}: {e.Message}", e);
        }
        return Parse(path, bytes);
    }

    public static ElfFile Parse(string path, byte[] bytes)
    {
        if (bytes.Length < HeaderSize || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new WalkthroughException($"{path} is not an ELF shared library (it does not start with the ELF header); restore it from its package.");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new WalkthroughException($"{path} is not a 64-bit little-endian ELF file, so it is not built for linux-x64.");

        var elf = new ElfFile(path, bytes, []);
        var tableOffset = elf.U64(0x28);
        var entrySize = elf.U16(0x3a);
        var count = elf.U16(0x3c);
        if (count == 0)
            throw new WalkthroughException($"{path} has no section headers, so its version requirements cannot be read.");
        if (entrySize < SectionHeaderSize)
            throw elf.Malformed($"section header size {entrySize} is smaller than {SectionHeaderSize}");
        elf.CheckRange(tableOffset, (ulong)entrySize * count, "section header table");

        var sections = new ElfSection[count];
        for (var i = 0; i < count; i++)
        {
            var at = tableOffset + (ulong)i * entrySize;
            var section = new ElfSection(
                Index: i,
                Type: elf.U32(at + 4),
                Offset: elf.U64(at + 24),
                Size: elf.U64(at + 32),
                Link: elf.U32(at + 40),
                Info: elf.U32(at + 44),
                EntrySize: elf.U64(at + 56));
            if (section.Type != SectionNoBits)
                elf.CheckRange(section.Offset, section.Size, $"section {i}");
            sections[i] = section;
        }
        return new ElfFile(path, bytes, sections);
    }

    /// <summary>The only section of a type (an ELF library has at most one of each kind read here), or null.</summary>
    public ElfSection? SectionOfType(uint type)
    {
        foreach (var section in Sections)
        {
            if (section.Type == type)
                return section;
        }
        return null;
    }

    public ElfSection LinkedSection(ElfSection section)
    {
        if (section.Link >= Sections.Count)
            throw Malformed($"section {section.Index} links to section {section.Link}, which does not exist");
        return Sections[(int)section.Link];
    }

    /// <summary>A NUL-terminated name at <paramref name="offset"/> inside a string table section.</summary>
    public string StringAt(ElfSection table, uint offset)
    {
        if (offset >= table.Size)
            throw Malformed($"name offset {offset} lies outside string table section {table.Index}");
        var start = (int)(table.Offset + offset);
        var end = Array.IndexOf(Bytes, (byte)0, start, (int)(table.Size - offset));
        if (end < 0)
            throw Malformed($"a name in string table section {table.Index} is not terminated");
        return Encoding.ASCII.GetString(Bytes, start, end - start);
    }

    /// <summary>Throws unless <paramref name="length"/> bytes at <paramref name="at"/> lie inside the section.</summary>
    public void CheckInside(ElfSection section, ulong at, ulong length, string what)
    {
        if (at < section.Offset || at - section.Offset > section.Size || length > section.Size - (at - section.Offset))
            throw Malformed($"{what} lies outside section {section.Index}");
    }

    public ushort U16(ulong at) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(at, 2));

    public uint U32(ulong at) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(at, 4));

    public ulong U64(ulong at) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(at, 8));

    public WalkthroughException Malformed(string what) =>
        new($"{Path} is damaged or truncated ({what}); restore it from its package.");

    private ReadOnlySpan<byte> Slice(ulong at, int length)
    {
        CheckRange(at, (ulong)length, $"{length} bytes at offset {at}");
        return Bytes.AsSpan((int)at, length);
    }

    private void CheckRange(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)Bytes.Length || length > (ulong)Bytes.Length - offset)
            throw Malformed($"{what} runs past the end of the {Bytes.Length}-byte file");
    }
}
