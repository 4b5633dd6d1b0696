using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// Turns TorchSharp's failure to start (a long load trace, sometimes misleading) into one sentence that says
/// what is wrong and what to do; TorchSharp's exception stays attached as the inner exception.
/// </summary>
internal static class TorchLoadFailure
{
    private static readonly string[] SupportedPlatforms = ["linux-x64", "win-x64", "osx-arm64"];

    public static bool IsLoadFailure(Exception e) =>
        e is TypeInitializationException or DllNotFoundException or BadImageFormatException
            or EntryPointNotFoundException or NotSupportedException;

    public static WalkthroughException Explain(Exception failure, TorchNativeFiles? files, string? patchedCopy, LibTorchFolder? folder = null) =>
        new(Sentence(failure, files, patchedCopy, folder), failure);

    private static string Sentence(Exception failure, TorchNativeFiles? files, string? patchedCopy, LibTorchFolder? folder)
    {
        var platform = RuntimeInformation.RuntimeIdentifier;
        if (!SupportedPlatforms.Contains(platform))
            return $"TorchSharp 0.107 has no libtorch for {platform}: run on {string.Join(", ", SupportedPlatforms)}.";

        var package = $"libtorch-cpu-{platform} {TorchNativeFiles.LibTorchVersion}";
        var missingPackage = files is not null
            ? files.LibTorchFolder is null
            : Chain(failure).Any(e => e.Message.Contains("doesn't contain a reference to", StringComparison.Ordinal)
                                    || e.Message.Contains("is not restored", StringComparison.Ordinal));
        if (missingPackage)
            return $"libtorch was not found next to TorchSharp{Searched(files)}: add the NuGet package {package} (or TorchSharp-cpu 0.107.0), " +
                $"or set {TorchRuntime.LibTorchVariable} to the folder of an installed libtorch {TorchNativeFiles.LibTorchVersion} (a PyTorch's torch/lib).";

        var reason = LoaderReason(failure, files, patchedCopy);
        if (folder is { Source: not TorchNativeFiles.PackageSource })
            return $"{folder.Source}: libtorch {folder.Version ?? "(release unknown)"} in {folder.Path} could not be started ({reason ?? FirstLine(Chain(failure).Last().Message)}): " +
                $"check that the install is complete (for a CUDA build, its CUDA libraries and the NVIDIA driver), or unset {TorchRuntime.LibTorchVariable} to use the NuGet libtorch.";
        if (reason?.Contains("libcuda", StringComparison.Ordinal) == true)
            return $"This libtorch is a CUDA build but no NVIDIA driver was found ({reason}): install the driver, or reference {package} instead.";
        if (patchedCopy is not null && failure is TypeInitializationException { InnerException: NotSupportedException })
            return "TorchSharp had already failed to start in this process, because torch was used before TorchRuntime.Ensure(): restart the process (or the notebook kernel) and call TorchRuntime.Ensure() first.";
        return $"TorchSharp could not start libtorch ({reason ?? FirstLine(Chain(failure).Last().Message)}): make sure TorchSharp 0.107.0 and {package} are both restored.";
    }

    /// <summary>The dynamic loader's own words (dlerror), which TorchSharp's trace leaves out.</summary>
    private static string? LoaderReason(Exception failure, TorchNativeFiles? files, string? patchedCopy)
    {
        if (Chain(failure).OfType<DllNotFoundException>().FirstOrDefault() is { } notFound)
            return LastLine(notFound.Message);
        if (files?.LibTorchSharp is null || patchedCopy is not null)
            return null;
        try
        {
            NativeLibrary.Load(files.LibTorchSharp);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return LastLine(e.Message);
        }
    }

    private static string Searched(TorchNativeFiles? files) =>
        files is null ? "" : $" (searched {string.Join(", ", files.Searched)})";

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }

    private static string FirstLine(string text) => Lines(text).FirstOrDefault() ?? text;

    private static string LastLine(string text) => Lines(text).LastOrDefault() ?? text;

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0);
}
