using System.Buffers.Binary;

namespace Walkthrough.Native;

/// <summary>
/// The one-field fix that lets TorchSharp 0.107's libLibTorchSharp.so load with GCC 12's libstdc++
/// (Debian 12, Ubuntu 22.04). GCC 13 records a need for GLIBCXX_3.4.32 in every library that includes
/// &lt;iostream&gt;, for <c>std::ios_base_library_init()</c>, yet no relocation binds that symbol: only the
/// loader's version check fails. Marking that one need weak removes the check and changes nothing else.
/// </summary>
internal static class GlibcxxPatch
{
    public const string Library = "libstdc++.so.6";
    public const string Version = "GLIBCXX_3.4.32";

    private const string NewerLinux = "use a Linux whose libstdc++ comes from GCC 13 or newer (Debian 13, Ubuntu 24.04)";

    /// <summary>
    /// The patched bytes of <paramref name="library"/>, or null when <paramref name="systemVersions"/> (what the
    /// system libstdc++ defines) already satisfy it. Throws when the gap is one a weak flag cannot safely close.
    /// </summary>
    public static byte[]? PatchFor(ElfFile library, IReadOnlySet<string> systemVersions)
    {
        var missing = ElfVersionNeeds.Read(library)
            .Where(need => need.Library == Library && !need.IsWeak && !systemVersions.Contains(need.Version))
            .ToList();
        if (missing.Count == 0)
            return null;

        var others = missing.Where(need => need.Version != Version).Select(need => need.Version).ToList();
        if (others.Count > 0)
            throw new WalkthroughException(
                $"{library.Path} needs {string.Join(", ", others)} from {Library}, which this system's libstdc++ lacks: {NewerLinux}.");

        var need = missing[0];
        var bound = ElfRelocations.SymbolsBoundAt(library, need.Index);
        if (bound.Count > 0)
            throw new WalkthroughException(
                $"{library.Path} really calls {string.Join(", ", bound)} from {Version}, so it cannot work with this system's libstdc++: {NewerLinux}.");
        return Weakened(library, need);
    }

    /// <summary>A copy of the file with only <paramref name="need"/>'s <c>vna_flags</c> changed to include the weak bit.</summary>
    private static byte[] Weakened(ElfFile library, VersionNeed need)
    {
        var copy = (byte[])library.Bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(checked((int)need.FlagsOffset), 2), (ushort)(need.Flags | VersionNeed.WeakFlag));
        return copy;
    }
}
