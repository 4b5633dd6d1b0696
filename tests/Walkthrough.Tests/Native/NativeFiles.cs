using System.Text;
using System.Text.RegularExpressions;

namespace Walkthrough.Tests.Native;

/// <summary>Real files the native tests read, found without the code under test.</summary>
internal static partial class NativeFiles
{
    /// <summary>TorchSharp's bridge as the build copied it (the TorchSharp package carries linux-x64's on every OS).</summary>
    public static string LibTorchSharp =>
        new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), AppContext.BaseDirectory }
            .Select(folder => Path.Combine(folder, "libLibTorchSharp.so"))
            .First(File.Exists);

    /// <summary>The libstdc++ this process has mapped, read from /proc/self/maps as <c>grep libstdc++</c> would.</summary>
    public static string SystemLibStdCxx =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libstdc++.so", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .First();

    /// <summary>What <c>strings FILE | grep -E '^GLIBCXX_[0-9.]+$'</c> prints: every GLIBCXX version name in the file.</summary>
    public static IReadOnlySet<string> GlibcxxStrings(string path) =>
        GlibcxxName().Matches(Encoding.Latin1.GetString(File.ReadAllBytes(path)))
            .Select(match => match.Groups[1].Value)
            .ToHashSet();

    public static string TempCopy(string path)
    {
        var folder = Directory.CreateTempSubdirectory("walkthrough-native-").FullName;
        var copy = Path.Combine(folder, Path.GetFileName(path));
        File.Copy(path, copy);
        return copy;
    }

    [GeneratedRegex(@"(?<=\0)(GLIBCXX_[0-9]+(?:\.[0-9]+)+)(?=\0)")]
    private static partial Regex GlibcxxName();
}
