using System.Reflection;
using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// Loads a weakened copy of libLibTorchSharp.so (see <see cref="GlibcxxPatch"/>) before TorchSharp looks for its
/// native bridge, on a Linux whose libstdc++ is older than GCC 13's.
/// The copy lives in another folder, so its <c>$ORIGIN</c> search for libtorch.so, libc10.so and libtorch_cpu.so
/// finds nothing there: <see cref="TorchRuntime"/> loads libtorch first from its own folder, where its own
/// <c>$ORIGIN</c> lookups work, and the loader then matches the copy's needs to those libraries by their sonames.
/// TorchSharp then reaches the copy twice over: its start-up check, <c>NativeLibrary.TryLoad("LibTorchSharp",
/// assembly, …)</c>, consults no resolver but ends in <c>dlopen("libLibTorchSharp.so")</c>, which glibc answers with
/// the loaded library of that soname; its <c>[DllImport("LibTorchSharp")]</c> calls ask the resolver set here.
/// </summary>
internal static class PatchedLibTorchSharp
{
    private const string ImportName = "LibTorchSharp"; // what TorchSharp's [DllImport]s name

    /// <summary>The path of the patched copy now loaded, or null when this system needs none.</summary>
    public static string? LoadIfNeeded(Assembly torchSharp, TorchNativeFiles files)
    {
        if (files.LibTorchSharp is null || files.LibTorchFolder is null)
            return null; // TorchSharp's own load fails and says what is missing
        var library = ElfFile.Read(files.LibTorchSharp);
        var patched = GlibcxxPatch.PatchFor(library, SystemVersions());
        if (patched is null)
            return null;

        var copy = PatchedCopyCache.Store(files.LibTorchSharp, library.Bytes, patched);
        var handle = NativeLibrary.Load(copy);
        RouteImports(torchSharp, handle);
        return copy;
    }

    /// <summary>The GLIBCXX/CXXABI versions that the libstdc++ this process uses defines.</summary>
    private static IReadOnlySet<string> SystemVersions()
    {
        // The .NET runtime links libstdc++, so it is mapped already; the load only makes sure of it.
        NativeLibrary.TryLoad(GlibcxxPatch.Library, out _);
        var path = LoadedLibraries.PathOf(GlibcxxPatch.Library)
            ?? throw new WalkthroughException($"{GlibcxxPatch.Library} is not loaded in this process, so TorchSharp cannot run: install the system's libstdc++6 package.");
        return ElfVersionDefinitions.Read(ElfFile.Read(path));
    }

    /// <summary>
    /// Answers TorchSharp's [DllImport("LibTorchSharp")] with the patched copy, so no lookup can reach the original.
    /// </summary>
    private static void RouteImports(Assembly torchSharp, IntPtr handle)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => name == ImportName ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // Someone else already set TorchSharp's resolver (one per assembly). Lookups by name still reach the
            // copy: glibc hands out an already-loaded library whose soname, libLibTorchSharp.so, matches.
        }
    }
}
