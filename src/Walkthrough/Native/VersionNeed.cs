namespace Walkthrough.Native;

/// <summary>
/// One line of a library's version-needs table: "<see cref="Library"/> must define <see cref="Version"/>".
/// The dynamic loader refuses the library when a required version is missing, unless the need is weak.
/// </summary>
/// <param name="Library">The needed library's soname, e.g. libstdc++.so.6.</param>
/// <param name="Version">The needed version's name, e.g. GLIBCXX_3.4.32.</param>
/// <param name="Flags"><c>vna_flags</c>; <see cref="WeakFlag"/> marks a need the loader may go without.</param>
/// <param name="Index">The version index that symbols bound to this version carry in <c>.gnu.version</c>.</param>
/// <param name="FlagsOffset">Where <c>vna_flags</c> lies in the file (bytes), the field a patch changes.</param>
internal sealed record VersionNeed(string Library, string Version, ushort Flags, ushort Index, ulong FlagsOffset)
{
    /// <summary>VER_FLG_WEAK: glibc's loader notes a missing weak version instead of refusing the library.</summary>
    public const ushort WeakFlag = 2;

    public bool IsWeak => (Flags & WeakFlag) != 0;
}
