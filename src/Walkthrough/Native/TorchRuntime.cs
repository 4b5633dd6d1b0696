using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Walkthrough.Native;

/// <summary>
/// Makes TorchSharp usable in this process and proves it with one tensor operation.
/// Call <see cref="Ensure"/> before the first use of <c>torch</c>: TorchSharp loads its native libraries once, in
/// the static constructor of <c>torch</c>, and if that fails it stays failed until the process restarts.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static TorchRuntimeReport? started; // the only mutable state: set once, never cleared

    /// <summary>
    /// Loads libtorch and TorchSharp's native bridge, patching a copy of the bridge first on a Linux whose
    /// libstdc++ is too old for it (Debian 12, Ubuntu 22.04). Safe from any thread; after the first success it only
    /// reads a field. Throws <see cref="WalkthroughException"/> saying what to do when libtorch cannot load.
    /// </summary>
    public static void Ensure() => Describe();

    /// <summary>What <see cref="Ensure"/> found and did (it runs it first if needed).</summary>
    public static TorchRuntimeReport Describe()
    {
        if (Volatile.Read(ref started) is { } report)
            return report;
        lock (Gate)
        {
            if (started is null)
                Volatile.Write(ref started, Start());
            return started!;
        }
    }

    private static TorchRuntimeReport Start()
    {
        var torchSharp = typeof(torch).Assembly; // naming the type does not run torch's static constructor
        var files = OnLinuxX64 ? TorchNativeFiles.Find(torchSharp) : null;
        string? patchedCopy = null;
        try
        {
            // Already loaded (TorchSharp started before, or another load context did this): nothing to patch.
            if (files is not null && LoadedLibraries.PathOf(TorchNativeFiles.LibTorchSharpFile) is null)
                patchedCopy = PatchedLibTorchSharp.LoadIfNeeded(torchSharp, files);
            Prove();
        }
        catch (Exception e) when (TorchLoadFailure.IsLoadFailure(e))
        {
            throw TorchLoadFailure.Explain(e, files, patchedCopy);
        }
        return new TorchRuntimeReport(
            TorchSharpVersion: VersionOf(torchSharp),
            LibTorchVersion: torch.__version__,
            LibTorchFolder: OnLinuxX64 ? Path.GetDirectoryName(LoadedLibraries.PathOf("libtorch_cpu.so")) : null,
            PatchedCopy: patchedCopy,
            CudaAvailable: torch.cuda.is_available());
    }

    /// <summary>The first call into libtorch runs TorchSharp's loader; the sum checks that libtorch computes.</summary>
    private static void Prove()
    {
        using var scope = torch.NewDisposeScope();
        var ones = torch.ones(2, 2);
        var sum = ones.matmul(ones).sum().item<float>(); // four entries, each 1·1 + 1·1
        if (sum != 8f)
            throw new WalkthroughException($"libtorch loaded but computed {sum} for a sum that must be 8: reinstall the libtorch package.");
    }

    private static bool OnLinuxX64 =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
