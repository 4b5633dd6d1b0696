namespace Walkthrough.Native;

/// <summary>One ELF section header: where its bytes are and which other section it refers to.</summary>
internal readonly record struct ElfSection(int Index, uint Type, ulong Offset, ulong Size, uint Link, uint Info, ulong EntrySize);
