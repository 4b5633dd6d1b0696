using System.Diagnostics;

namespace Walkthrough.Native;

/// <summary>
/// The native libraries already mapped into this process, by file name. This tells which libstdc++ the loader
/// will bind to (the .NET runtime itself loaded one) and where libtorch was really loaded from.
/// </summary>
internal static class LoadedLibraries
{
    /// <summary>
    /// Full path of the first loaded library whose file name starts with <paramref name="prefix"/>
    /// (<c>libstdc++.so.6</c> matches <c>libstdc++.so.6.0.30</c>), or null.
    /// </summary>
    public static string? PathOf(string prefix)
    {
        using var process = Process.GetCurrentProcess();
        foreach (ProcessModule module in process.Modules)
        {
            if (module.ModuleName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return module.FileName;
        }
        return null;
    }
}
