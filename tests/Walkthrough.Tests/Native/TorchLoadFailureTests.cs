using System.Runtime.InteropServices;
using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

/// <summary>The one sentence a learner reads when libtorch cannot start, for failures staged as TorchSharp raises them.</summary>
public sealed class TorchLoadFailureTests
{
    private static readonly string Platform = RuntimeInformation.RuntimeIdentifier;

    private static readonly TorchNativeFiles Found = new("/app/libLibTorchSharp.so", "/app", ["/app"]);

    private static TypeInitializationException TorchSharpFailed(string message) =>
        new("TorchSharp.torch", new NotSupportedException(message));

    [Fact]
    public void A_missing_libtorch_package_is_named_with_the_folders_searched()
    {
        var failure = TorchSharpFailed($"This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-{Platform}, Version=2.10.0.0.");

        var error = TorchLoadFailure.Explain(failure, Found with { LibTorchFolder = null }, patchedCopy: null);

        Assert.Equal(
            $"libtorch was not found next to TorchSharp (searched /app): add the NuGet package libtorch-cpu-{Platform} 2.10.0 (or TorchSharp-cpu 0.107.0), " +
            "or set WALKTHROUGH_LIBTORCH to the folder of an installed libtorch 2.10.0 (a PyTorch's torch/lib).",
            error.Message);
        Assert.Same(failure, error.InnerException);
    }

    [Fact]
    public void A_CUDA_libtorch_without_the_NVIDIA_driver_says_to_install_it_or_use_the_CPU_package()
    {
        var failure = new DllNotFoundException(
            "Unable to load shared library '/app/libtorch.so' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace.\nlibcuda.so.1: cannot open shared object file: No such file or directory\n");

        var error = TorchLoadFailure.Explain(failure, Found, patchedCopy: null);

        Assert.Equal(
            $"This libtorch is a CUDA build but no NVIDIA driver was found (libcuda.so.1: cannot open shared object file: No such file or directory): install the driver, or reference libtorch-cpu-{Platform} 2.10.0 instead.",
            error.Message);
    }

    [Fact]
    public void Torch_used_before_Ensure_asks_for_a_restart()
    {
        var failure = TorchSharpFailed("This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64, Version=2.10.0.0.");

        var error = TorchLoadFailure.Explain(failure, Found, patchedCopy: "/cache/libLibTorchSharp.so");

        Assert.StartsWith("TorchSharp had already failed to start in this process, because torch was used before TorchRuntime.Ensure()", error.Message);
    }

    [Fact]
    public void Any_other_loader_failure_is_quoted_in_the_loaders_words()
    {
        var failure = new DllNotFoundException("Unable to load shared library '/app/libtorch.so' or one of its dependencies.\n/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/libtorch_cpu.so)");

        var error = TorchLoadFailure.Explain(failure, Found, patchedCopy: null);

        Assert.Equal(
            $"TorchSharp could not start libtorch (/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/libtorch_cpu.so)): make sure TorchSharp 0.107.0 and libtorch-cpu-{Platform} 2.10.0 are both restored.",
            error.Message);
    }
}
