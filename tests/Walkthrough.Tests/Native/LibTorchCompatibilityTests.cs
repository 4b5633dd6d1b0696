using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class LibTorchCompatibilityTests
{
    // `nm -D --undefined-only libLibTorchSharp.so | awk '$1 == "U" && $2 !~ /@/'` lists 1204 symbols for TorchSharp 0.107.0:
    // what it calls in libtorch and libc10, leaving out weak ones and glibc's/libstdc++'s versioned ones.
    private const int BridgeImports = 1204;

    [LinuxFact]
    public void The_bridge_imports_the_1204_symbols_nm_lists()
    {
        var symbols = ElfDynamicSymbols.Read(NativeFiles.LibTorchSharp);

        Assert.Equal(BridgeImports, symbols.StrongUnversionedImports.Count);
        Assert.Contains("_ZN2at4_ops10add_Tensor4callERKNS_6TensorES4_RKN3c106ScalarE", symbols.StrongUnversionedImports);
        Assert.DoesNotContain(symbols.StrongUnversionedImports, s => s.StartsWith("_ZTH", StringComparison.Ordinal)); // weak TLS init hooks
    }

    [LinuxFact]
    public void The_libtorch_2_10_of_the_NuGet_package_has_every_function_the_bridge_calls()
    {
        var folder = LibTorchFolder.Inspect(LibTorchFolders.Package, "test");

        var compatibility = LibTorchCompatibility.Check(NativeFiles.LibTorchSharp, folder);

        Assert.Equal(BridgeImports, compatibility.Needed);
        Assert.Empty(compatibility.Missing);
        Assert.Equal("2.10.0", folder.Version);
        Assert.False(folder.Cuda);
    }

    [LinuxFact]
    public void A_libtorch_that_lacks_the_functions_is_refused_in_one_line_with_both_versions()
    {
        // libtorch.so of the package is a 7.5 KB stub that only links libtorch_cpu.so: it exports none of them.
        var stub = Path.Combine(LibTorchFolders.Package, "libtorch.so");
        var lib = LibTorchFolders.PythonLayout("2.11.0+cu130", _ => stub, "libc10.so", "libtorch_cpu.so", "libtorch.so");
        var folder = LibTorchFolder.Inspect(lib, "WALKTHROUGH_LIBTORCH");

        var compatibility = LibTorchCompatibility.Check(NativeFiles.LibTorchSharp, folder);
        var line = compatibility.Refusal(folder, "0.107.0");

        Assert.Equal(BridgeImports, compatibility.Missing.Count);
        Assert.DoesNotContain('\n', line);
        Assert.Contains($"libtorch 2.11.0+cu130 in {lib} cannot serve TorchSharp 0.107.0, which is built for libtorch 2.10.0", line);
        Assert.Contains($"{BridgeImports} of the {BridgeImports} libtorch functions it calls are missing there", line);
        Assert.Contains("at::", line); // names a person can read, not mangled ones
    }

    [Theory]
    [InlineData("_ZN2at4_ops10add_Tensor4callERKNS_6TensorES4_RKN3c106ScalarE", "at::_ops::add_Tensor::call")]
    [InlineData("_ZN3c106detail14torchCheckFailEPKcS2_jS2_", "c10::detail::torchCheckFail")]
    [InlineData("_ZN5torch2nn10GRUOptionsC1Ell", "torch::nn::GRUOptions::GRUOptions")]
    [InlineData("_ZNK2at10TensorBase4signEv", "at::TensorBase::sign")]
    [InlineData("THSTensor_add", "THSTensor_add")]
    public void A_mangled_name_reads_as_the_qualified_name_cxxfilt_prints(string symbol, string readable) =>
        Assert.Equal(readable, MangledName.Readable(symbol));
}
