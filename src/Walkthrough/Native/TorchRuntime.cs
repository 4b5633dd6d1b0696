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
    /// <summary>A libtorch folder to use instead of the NuGet one, e.g. a Python PyTorch package's torch/lib.</summary>
    public const string LibTorchVariable = "WALKTHROUGH_LIBTORCH";

    /// <summary>Set to 1 to load a libtorch folder that lacks some of the functions TorchSharp's bridge calls.</summary>
    public const string AllowMissingVariable = "WALKTHROUGH_LIBTORCH_ALLOW_MISSING";

    private static readonly object Gate = new();
    private static TorchRuntimeReport? started; // set once, never cleared
    private static string? asked;               // the folder UseLibTorch named, before the start

    /// <summary>
    /// Loads libtorch and TorchSharp's native bridge, patching a copy of the bridge first on a Linux whose
    /// libstdc++ is too old for it (Debian 12, Ubuntu 22.04). Safe from any thread; after the first success it only
    /// reads a field. Throws <see cref="WalkthroughException"/> saying what to do when libtorch cannot load.
    /// </summary>
    public static void Ensure() => Describe();

    /// <summary>
    /// Use the libtorch of an existing install (linux-x64): a folder with libtorch.so, libtorch_cpu.so and libc10.so,
    /// such as <c>site-packages/torch/lib</c> of a PyTorch with CUDA. Call it before the first use of torch; the same as
    /// setting WALKTHROUGH_LIBTORCH, and it wins over that variable. Throws when torch already runs from another folder.
    /// </summary>
    public static void UseLibTorch(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        lock (Gate)
        {
            if (started is null)
                asked = full;
            else if (started.LibTorchFolder is { } loaded && loaded != full)
                throw new WalkthroughException(
                    $"libtorch is already running from {loaded} in this process, so {full} cannot be used: restart the process (or the notebook kernel) and choose the folder before the first use of torch.");
        }
    }

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
        OpenMpWaitPolicy.PassiveUnlessSet(); // before libtorch's libgomp loads, which reads it once
        var torchSharp = typeof(torch).Assembly; // naming the type does not run torch's static constructor
        var files = OnLinuxX64 ? TorchNativeFiles.Find(torchSharp) : null;
        var folder = files is null ? null : Chosen(files);
        if (folder is not null)
            files = files! with { LibTorchFolder = folder.Path };
        var missing = folder is { Source: not TorchNativeFiles.PackageSource } ? Checked(folder, files!, VersionOf(torchSharp)) : 0;
        string? patchedCopy = null;
        string? mkl = null;
        try
        {
            // Already loaded (TorchSharp started before, or another load context did this): nothing to do.
            if (folder is not null && LoadedLibraries.PathOf(TorchNativeFiles.LibTorchSharpFile) is null)
            {
                foreach (var library in folder.LoadOrder)
                    NativeLibrary.Load(Path.Combine(folder.Path, library)); // the bridge's needs then match these by soname
                patchedCopy = PatchedLibTorchSharp.LoadIfNeeded(torchSharp, files!);
            }
            mkl = MklVendorCheck.Apply(LoadedLibraries.PathOf("libtorch_cpu.so")); // before the first matrix product
            Prove();
        }
        catch (Exception e) when (TorchLoadFailure.IsLoadFailure(e))
        {
            throw TorchLoadFailure.Explain(e, files, patchedCopy, folder);
        }
        return new TorchRuntimeReport(
            TorchSharpVersion: VersionOf(torchSharp),
            LibTorchVersion: torch.__version__,
            LibTorchFolder: OnLinuxX64 ? Path.GetDirectoryName(LoadedLibraries.PathOf("libtorch_cpu.so")) : null,
            PatchedCopy: patchedCopy,
            CudaAvailable: torch.cuda.is_available())
        {
            LibTorchSource = folder?.Source,
            LibTorchRelease = folder?.Version,
            MissingFunctions = missing,
            Mkl = mkl,
        };
    }

    /// <summary>The folder asked for (UseLibTorch, then WALKTHROUGH_LIBTORCH), else the one found beside the app or in the NuGet cache.</summary>
    private static LibTorchFolder? Chosen(TorchNativeFiles files)
    {
        if (asked is { } folder)
            return LibTorchFolder.Inspect(folder, "TorchRuntime.UseLibTorch");
        if (Environment.GetEnvironmentVariable(LibTorchVariable) is { Length: > 0 } variable)
            return LibTorchFolder.Inspect(variable, LibTorchVariable);
        return files.LibTorchFolder is { } found ? LibTorchFolder.Inspect(found, TorchNativeFiles.PackageSource) : null;
    }

    /// <summary>Refuses a folder that lacks functions the bridge calls, before loading anything; returns how many are missing.</summary>
    private static int Checked(LibTorchFolder folder, TorchNativeFiles files, string torchSharpVersion)
    {
        if (files.LibTorchSharp is null)
            return 0; // TorchSharp's own load fails and says the bridge is missing
        var compatibility = LibTorchCompatibility.Check(files.LibTorchSharp, folder);
        if (!compatibility.Complete && Environment.GetEnvironmentVariable(AllowMissingVariable) != "1")
            throw new WalkthroughException(compatibility.Refusal(folder, torchSharpVersion));
        return compatibility.Missing.Count;
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
