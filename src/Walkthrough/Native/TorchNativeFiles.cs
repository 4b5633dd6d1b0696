using System.Reflection;

namespace Walkthrough.Native;

/// <summary>
/// Where, on linux-x64, TorchSharp's native bridge (libLibTorchSharp.so) and libtorch (libtorch.so with
/// libtorch_cpu.so and libc10.so beside it) are. Two layouts are searched, in this order:
/// an app's build output (beside TorchSharp.dll, or under runtimes/linux-x64/native), and the NuGet cache that
/// a notebook's <c>#r "nuget: TorchSharp-cpu, 0.107.0"</c> loads TorchSharp from, where each package keeps its
/// natives in its own runtimes/linux-x64/native folder. libtorch-cpu-linux-x64 ships whole .so files there.
/// The kit's own builds copy no libtorch into their output (600 MB each): they record the package's folder as
/// <c>Walkthrough.LibTorchFolder</c> in the app's runtimeconfig.json (Directory.Build.targets) and load it from there.
/// </summary>
/// <param name="LibTorchSharp">The first libLibTorchSharp.so found, or null.</param>
/// <param name="LibTorchFolder">The first folder holding libtorch.so, or null.</param>
/// <param name="Searched">The folders looked in, for error messages.</param>
internal sealed record TorchNativeFiles(string? LibTorchSharp, string? LibTorchFolder, IReadOnlyList<string> Searched)
{
    public const string LibTorchSharpFile = "libLibTorchSharp.so";
    public const string LibTorchFile = "libtorch.so";

    /// <summary>The libtorch release TorchSharp 0.107 is built against; its package folder is named for it.</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>How a libtorch found here is named in messages, beside WALKTHROUGH_LIBTORCH.</summary>
    public const string PackageSource = "the NuGet package libtorch-cpu-linux-x64";

    /// <summary>The runtimeconfig.json property a build writes the NuGet package's native folder into.</summary>
    public const string BuildFolderSetting = "Walkthrough.LibTorchFolder";

    private static readonly string Natives = Path.Combine("runtimes", "linux-x64", "native");

    public static TorchNativeFiles Find(Assembly torchSharp) =>
        Find(torchSharp.Location, HostSearchFolders(), AppContext.GetData(BuildFolderSetting) as string);

    /// <param name="torchSharpPath">Where TorchSharp.dll was loaded from; empty when it was loaded from bytes.</param>
    /// <param name="hostFolders">The folders the .NET host searches for native libraries, searched first.</param>
    /// <param name="buildFolder">The package folder the build recorded, searched after the app's own folders.</param>
    internal static TorchNativeFiles Find(string torchSharpPath, IEnumerable<string> hostFolders, string? buildFolder = null)
    {
        var recorded = string.IsNullOrEmpty(buildFolder) ? [] : new[] { Path.GetFullPath(buildFolder) };
        var beside = FoldersFrom(torchSharpPath).ToList();
        var folders = hostFolders.Concat(beside.Take(2)).Concat(recorded).Concat(beside.Skip(2)).Distinct(StringComparer.Ordinal).ToList();
        return new TorchNativeFiles(
            LibTorchSharp: folders.Select(f => Path.Combine(f, LibTorchSharpFile)).FirstOrDefault(File.Exists),
            LibTorchFolder: folders.FirstOrDefault(f => File.Exists(Path.Combine(f, LibTorchFile))),
            Searched: folders);
    }

    /// <summary>An app's output folder and the native folders its deps.json lists.</summary>
    private static IEnumerable<string> HostSearchFolders() =>
        AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchPath
            ? searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath)
            : [];

    /// <summary>Beside TorchSharp.dll, then the NuGet cache: its own package when loaded from there, and libtorch's.</summary>
    private static IEnumerable<string> FoldersFrom(string torchSharpPath)
    {
        var home = Path.GetDirectoryName(torchSharpPath);
        if (string.IsNullOrEmpty(home))
            yield break; // loaded from bytes: no folder to search beside it
        yield return home;
        yield return Path.Combine(home, Natives);

        // NuGet cache layout: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var packages = NuGetPackagesFolder();
        if (IsInPackageCache(home))
        {
            var package = Path.GetFullPath(Path.Combine(home, "..", ".."));
            yield return Path.Combine(package, Natives);
            packages = Path.GetFullPath(Path.Combine(package, "..", ".."));
        }
        yield return Path.Combine(packages, "libtorch-cpu-linux-x64", LibTorchVersion, Natives);
    }

    private static bool IsInPackageCache(string home) =>
        Path.GetFileName(Path.GetDirectoryName(home)) == "lib"
        && string.Equals(Path.GetFileName(Path.GetFullPath(Path.Combine(home, "..", "..", ".."))), "torchsharp", StringComparison.OrdinalIgnoreCase);

    private static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
