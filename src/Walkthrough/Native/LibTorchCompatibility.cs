namespace Walkthrough.Native;

/// <summary>
/// Whether a libtorch folder can serve this TorchSharp's native bridge, checked before anything is loaded.
/// libtorch's libraries carry no symbol versions and unversioned sonames (libtorch_cpu.so, libc10.so), so the loader
/// cannot tell releases apart; what must match is the C++ functions the bridge calls, which it names by their mangled
/// names (the parameter types are part of the name). Each one missing in the folder would end the process at its first
/// call ("symbol lookup error"), because .NET loads native libraries with lazy binding.
/// </summary>
/// <param name="Needed">How many libtorch/libc10 functions and objects libLibTorchSharp.so imports.</param>
/// <param name="Missing">The mangled names of those the folder's libraries do not export.</param>
internal sealed record LibTorchCompatibility(int Needed, IReadOnlyList<string> Missing)
{
    public bool Complete => Missing.Count == 0;

    public static LibTorchCompatibility Check(string libTorchSharp, LibTorchFolder folder)
    {
        var needed = ElfDynamicSymbols.Read(libTorchSharp).StrongUnversionedImports;
        var exported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var library in folder.LoadOrder)
            exported.UnionWith(ElfDynamicSymbols.Read(Path.Combine(folder.Path, library)).Exports);
        return new LibTorchCompatibility(needed.Count, needed.Where(symbol => !exported.Contains(symbol)).ToList());
    }

    /// <summary>The one line a mismatch gives: versions found and needed, how much is missing, what to do.</summary>
    public string Refusal(LibTorchFolder folder, string torchSharpVersion) =>
        $"{folder.Source}: libtorch {folder.Version ?? "(release unknown)"} in {folder.Path} cannot serve TorchSharp {torchSharpVersion}, " +
        $"which is built for libtorch {TorchNativeFiles.LibTorchVersion}: {Missing.Count} of the {Needed} libtorch functions it calls are missing there " +
        $"({string.Join(", ", Missing.Take(3).Select(MangledName.Readable))}{(Missing.Count > 3 ? ", …" : "")}). " +
        $"Point it at a libtorch {LibTorchFolder.MinorOf(TorchNativeFiles.LibTorchVersion)}.x (e.g. PyTorch {LibTorchFolder.MinorOf(TorchNativeFiles.LibTorchVersion)}'s torch/lib), or unset it to use the NuGet libtorch.";
}
