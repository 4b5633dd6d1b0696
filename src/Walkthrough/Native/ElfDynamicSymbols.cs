using System.Buffers.Binary;
using System.Text;

namespace Walkthrough.Native;

/// <summary>
/// The dynamic symbol table (<c>.dynsym</c>) of a shared library, read from the file without loading the whole of it:
/// libtorch_cpu.so is 460 MB and libtorch_cuda.so larger, but their tables are a few MB. What <c>nm -D</c> lists.
/// Layout (elf.h): <c>Elf64_Sym</c> records of 24 bytes (st_name u32, st_info u8, st_other u8, st_shndx u16,
/// st_value u64, st_size u64); <c>.gnu.version</c> holds one u16 version index per symbol.
/// </summary>
internal sealed class ElfDynamicSymbols
{
    private const int SymbolSize = 24;
    private const int SectionHeaderSize = 64;
    private const byte GlobalBinding = 1;
    private const byte WeakBinding = 2;
    private const byte DefaultVisibility = 0;
    private const ushort VersionIndexMask = 0x7fff; // the top bit marks a hidden version

    private ElfDynamicSymbols(string path, IReadOnlyList<string> strongUnversionedImports, IReadOnlySet<string> exports)
    {
        Path = path;
        StrongUnversionedImports = strongUnversionedImports;
        Exports = exports;
    }

    public string Path { get; }

    /// <summary>
    /// Symbols the library must find elsewhere, not weak and with no symbol version: for libLibTorchSharp.so, what it
    /// calls in libtorch and libc10 (whose symbols carry no versions), leaving out glibc's and libstdc++'s.
    /// </summary>
    public IReadOnlyList<string> StrongUnversionedImports { get; }

    /// <summary>Symbols the library defines for others (global or weak, default visibility).</summary>
    public IReadOnlySet<string> Exports { get; }

    public static ElfDynamicSymbols Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Read(path, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalkthroughException($"Could not read {path}: {e.Message}", e);
        }
    }

    private static ElfDynamicSymbols Read(string path, FileStream file)
    {
        var header = Bytes(path, file, 0, 64);
        if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[4] != 2 || header[5] != 1)
            throw new WalkthroughException($"{path} is not a 64-bit little-endian ELF shared library, so it is not libtorch for linux-x64.");
        var tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(0x28));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3a));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3c));
        if (entrySize < SectionHeaderSize || count == 0)
            throw Malformed(path, "no usable section headers");
        var table = Bytes(path, file, tableOffset, (long)entrySize * count);

        var sections = Enumerable.Range(0, count).Select(i =>
        {
            var at = table.AsSpan(i * entrySize);
            return new ElfSection(i, BinaryPrimitives.ReadUInt32LittleEndian(at[4..]), BinaryPrimitives.ReadUInt64LittleEndian(at[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(at[32..]), BinaryPrimitives.ReadUInt32LittleEndian(at[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(at[44..]), BinaryPrimitives.ReadUInt64LittleEndian(at[56..]));
        }).ToList();
        var symbolsSection = sections.FirstOrDefault(s => s.Type == ElfFile.SectionDynamicSymbols);
        if (symbolsSection.Type != ElfFile.SectionDynamicSymbols || symbolsSection.Link >= count)
            throw Malformed(path, "no dynamic symbol table");
        var symbols = Bytes(path, file, symbolsSection.Offset, (long)symbolsSection.Size);
        var names = Bytes(path, file, sections[(int)symbolsSection.Link].Offset, (long)sections[(int)symbolsSection.Link].Size);
        var versionSection = sections.FirstOrDefault(s => s.Type == ElfFile.SectionVersionSymbols);
        var versions = versionSection.Type == ElfFile.SectionVersionSymbols ? Bytes(path, file, versionSection.Offset, (long)versionSection.Size) : [];

        var imports = new List<string>();
        var exports = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < symbols.Length / SymbolSize; i++) // entry 0 is the null symbol
        {
            var entry = symbols.AsSpan(i * SymbolSize, SymbolSize);
            var name = NameAt(path, names, BinaryPrimitives.ReadUInt32LittleEndian(entry));
            if (name.Length == 0)
                continue;
            var binding = (byte)(entry[4] >> 4);
            var visibility = (byte)(entry[5] & 3);
            var defined = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]) != 0;
            var version = versions.Length >= (i + 1) * 2 ? BinaryPrimitives.ReadUInt16LittleEndian(versions.AsSpan(i * 2)) & VersionIndexMask : 1;
            if (!defined && binding == GlobalBinding && version <= 1)
                imports.Add(name);
            else if (defined && binding is GlobalBinding or WeakBinding && visibility == DefaultVisibility)
                exports.Add(name);
        }
        return new ElfDynamicSymbols(path, imports, exports);
    }

    private static string NameAt(string path, byte[] names, uint offset)
    {
        if (offset >= names.Length)
            throw Malformed(path, $"symbol name offset {offset} lies outside its string table");
        var end = Array.IndexOf(names, (byte)0, (int)offset);
        if (end < 0)
            throw Malformed(path, "a symbol name is not terminated");
        return Encoding.ASCII.GetString(names, (int)offset, end - (int)offset);
    }

    private static byte[] Bytes(string path, FileStream file, ulong offset, long length)
    {
        if (offset > (ulong)file.Length || length < 0 || length > file.Length - (long)offset || length > int.MaxValue)
            throw Malformed(path, $"{length} bytes at offset {offset} run past the end of the {file.Length}-byte file");
        var bytes = new byte[length];
        file.Position = (long)offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    private static WalkthroughException Malformed(string path, string what) =>
        new($"{path} is damaged or truncated ({what}); reinstall the libtorch it belongs to.");
}
