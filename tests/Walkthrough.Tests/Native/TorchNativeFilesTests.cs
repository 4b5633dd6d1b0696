using TorchSharp;
using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

public sealed class TorchNativeFilesTests
{
    private static readonly string Natives = Path.Combine("runtimes", "linux-x64", "native");

    private static readonly string Packages =
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [LinuxFact]
    public void In_a_build_output_both_parts_are_found_beside_TorchSharp_libtorch_as_links_into_the_NuGet_package()
    {
        var files = TorchNativeFiles.Find(typeof(torch).Assembly.Location, hostFolders: []);

        var output = Path.Combine(AppContext.BaseDirectory, Natives);
        Assert.Equal(Path.Combine(output, "libLibTorchSharp.so"), files.LibTorchSharp);
        Assert.Equal(output, files.LibTorchFolder);
        Assert.Equal(Path.Combine(Packages, "libtorch-cpu-linux-x64", "2.10.0", Natives, "libtorch_cpu.so"),
            new FileInfo(Path.Combine(output, "libtorch_cpu.so")).LinkTarget);
    }

    [Fact]
    public void Without_libtorch_beside_the_app_the_package_folder_the_build_recorded_is_used()
    {
        var app = Directory.CreateTempSubdirectory("walkthrough-native-").FullName;
        var recorded = Path.Combine(Packages, "libtorch-cpu-linux-x64", "2.10.0", Natives);

        var files = TorchNativeFiles.Find(Path.Combine(app, "TorchSharp.dll"), hostFolders: [app], recorded);

        Assert.Equal(recorded, files.LibTorchFolder);
        Assert.Equal([app, Path.Combine(app, Natives), recorded], files.Searched);
    }

    [Fact]
    public void In_the_NuGet_cache_each_part_is_found_in_its_own_package()
    {
        // Where a notebook's #r "nuget: TorchSharp-cpu, 0.107.0" loads TorchSharp.dll from.
        var torchSharp = Path.Combine(Packages, "torchsharp", "0.107.0", "lib", "net8.0", "TorchSharp.dll");

        var files = TorchNativeFiles.Find(torchSharp, hostFolders: []);

        Assert.Equal(Path.Combine(Packages, "torchsharp", "0.107.0", Natives, "libLibTorchSharp.so"), files.LibTorchSharp);
        Assert.Equal(Path.Combine(Packages, "libtorch-cpu-linux-x64", "2.10.0", Natives), files.LibTorchFolder);
    }

    [Fact]
    public void An_app_without_libtorch_beside_it_falls_back_to_libtorch_in_the_NuGet_cache()
    {
        var app = Directory.CreateTempSubdirectory("walkthrough-native-").FullName;

        var files = TorchNativeFiles.Find(Path.Combine(app, "TorchSharp.dll"), hostFolders: [app]);

        var cached = Path.Combine(Packages, "libtorch-cpu-linux-x64", "2.10.0", Natives);
        Assert.Null(files.LibTorchSharp);
        Assert.Equal(cached, files.LibTorchFolder);
        Assert.Equal([app, Path.Combine(app, Natives), cached], files.Searched);
    }
}
