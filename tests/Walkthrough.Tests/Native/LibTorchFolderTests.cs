using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class LibTorchFolderTests
{
    [Fact]
    public void A_Python_torch_lib_folder_states_its_release_in_version_py_and_is_a_CUDA_build_with_libtorch_cuda()
    {
        var lib = LibTorchFolders.PythonLayout("2.11.0+cu130", _ => "/dev/null",
            "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so");

        var folder = LibTorchFolder.Inspect(lib, "WALKTHROUGH_LIBTORCH");

        Assert.Equal("2.11.0+cu130", folder.Version);
        Assert.True(folder.Cuda);
        Assert.Equal(["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"], folder.LoadOrder);
        Assert.Equal("2.11", LibTorchFolder.MinorOf(folder.Version!));
    }

    [Fact]
    public void A_libtorch_download_states_its_release_in_build_version()
    {
        var root = Directory.CreateTempSubdirectory("walkthrough-libtorch-").FullName;
        var lib = Directory.CreateDirectory(Path.Combine(root, "lib")).FullName;
        File.WriteAllText(Path.Combine(root, "build-version"), "2.10.0+cpu\n");

        Assert.Equal("2.10.0+cpu", LibTorchFolder.VersionOf(lib));
    }

    [Fact]
    public void A_folder_without_libtorch_cpu_is_refused_naming_the_file_and_where_PyTorch_keeps_it()
    {
        var lib = LibTorchFolders.PythonLayout("2.10.0", _ => "/dev/null", "libc10.so", "libtorch.so");

        var error = Assert.Throws<WalkthroughException>(() => LibTorchFolder.Inspect(lib, "WALKTHROUGH_LIBTORCH"));

        Assert.Contains($"WALKTHROUGH_LIBTORCH: {lib} has no libtorch_cpu.so", error.Message);
        Assert.Contains("torch.__file__", error.Message);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_named()
    {
        var error = Assert.Throws<WalkthroughException>(() => LibTorchFolder.Inspect("/no/such/torch/lib", "WALKTHROUGH_LIBTORCH"));

        Assert.Contains("the folder /no/such/torch/lib does not exist", error.Message);
    }
}
