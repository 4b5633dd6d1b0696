using System.Text.RegularExpressions;

namespace Walkthrough.Native;

/// <summary>
/// A folder of libtorch's shared libraries — the NuGet package's, or an existing install's such as a Python PyTorch
/// package's <c>torch/lib</c> — with the release it is and whether it is a CUDA build.
/// </summary>
/// <param name="Path">The folder holding libtorch.so, libtorch_cpu.so and libc10.so.</param>
/// <param name="Version">The libtorch release ("2.11.0+cu130"), read from the install beside it; null when it does not say.</param>
/// <param name="Cuda">Whether libtorch_cuda.so is there: this libtorch can use an NVIDIA GPU.</param>
/// <param name="Source">How the kit came to use it, for messages ("WALKTHROUGH_LIBTORCH", "the NuGet package").</param>
internal sealed partial record LibTorchFolder(string Path, string? Version, bool Cuda, string Source)
{
    /// <summary>The libraries every libtorch folder has; TorchSharp's bridge links the three.</summary>
    public static readonly IReadOnlyList<string> Required = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    private static readonly string[] CudaLibraries = ["libc10_cuda.so", "libtorch_cuda.so"];

    /// <summary>
    /// Dependencies first, so each finds the one before it already loaded: libc10, libtorch_cpu, the CUDA parts, libtorch.
    /// </summary>
    public IEnumerable<string> LoadOrder =>
        Cuda ? ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"] : Required;

    /// <summary>
    /// Reads what <paramref name="path"/> holds; throws a <see cref="WalkthroughException"/> naming the missing file
    /// when it is no libtorch folder.
    /// </summary>
    public static LibTorchFolder Inspect(string path, string source)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new WalkthroughException($"{source}: the folder {full} does not exist; {Hint}");
        var missing = Required.Where(name => !File.Exists(System.IO.Path.Combine(full, name))).ToList();
        if (missing.Count > 0)
            throw new WalkthroughException($"{source}: {full} has no {string.Join(" or ", missing)}, so it is not a libtorch folder; {Hint}");
        var version = VersionOf(full) ?? (LinkedFolder(full) is { } linked ? VersionOf(linked) : null);
        return new LibTorchFolder(full, version, CudaLibraries.All(name => File.Exists(System.IO.Path.Combine(full, name))), source);
    }

    /// <summary>Where libtorch_cpu.so really is when it is a link (a build output links the NuGet package's).</summary>
    private static string? LinkedFolder(string folder) =>
        new FileInfo(System.IO.Path.Combine(folder, "libtorch_cpu.so")).ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? System.IO.Path.GetDirectoryName(target.FullName)
            : null;

    private const string Hint =
        "give the folder that holds libtorch.so, libtorch_cpu.so and libc10.so (for PyTorch: " +
        "python3 -c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\").";

    /// <summary>
    /// A Python package says it in torch/version.py, a libtorch download in libtorch/build-version, a NuGet package
    /// in its folder name (libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native).
    /// </summary>
    internal static string? VersionOf(string folder)
    {
        var parent = System.IO.Path.GetDirectoryName(folder);
        if (parent is not null)
        {
            var python = System.IO.Path.Combine(parent, "version.py");
            if (File.Exists(python) && PythonVersion().Match(File.ReadAllText(python)) is { Success: true } match)
                return match.Groups[1].Value;
            var download = System.IO.Path.Combine(parent, "build-version");
            if (File.Exists(download) && File.ReadLines(download).FirstOrDefault()?.Trim() is { Length: > 0 } line)
                return line;
        }
        return NuGetVersion().Match(folder.Replace('\\', '/')) is { Success: true } nuget ? nuget.Groups[1].Value : null;
    }

    /// <summary>"2.11" of "2.11.0+cu130": the part of a release that TorchSharp builds are tied to.</summary>
    internal static string MinorOf(string version) => string.Join('.', version.Split('+')[0].Split('.').Take(2));

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex PythonVersion();

    [GeneratedRegex(@"/libtorch-[^/]+/([0-9]+\.[0-9]+\.[0-9]+[^/]*)/runtimes/", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetVersion();
}
