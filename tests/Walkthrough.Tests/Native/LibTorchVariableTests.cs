using System.Text.Json;
using Walkthrough.Native;

namespace Walkthrough.Tests.Native;

/// <summary>WALKTHROUGH_LIBTORCH and the shared copy of libtorch, seen from outside: the CLI in its own process.</summary>
public sealed class LibTorchVariableTests
{
    private static string CliBin => Path.GetDirectoryName(Path.Combine(RepoPaths.Root, "src", "Walkthrough.Cli", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Walkthrough.Cli.dll"))!;

    [LinuxFact]
    public void With_WALKTHROUGH_LIBTORCH_the_kit_runs_on_that_folder_and_doctor_says_which_and_why()
    {
        var files = Directory.GetFiles(LibTorchFolders.Package).Select(Path.GetFileName).OfType<string>().ToArray();
        var lib = LibTorchFolders.PythonLayout("2.10.0+linked", name => Path.Combine(LibTorchFolders.Package, name), files);

        var (code, output, _) = LibTorchFolders.RunCli(new Dictionary<string, string> { [TorchRuntime.LibTorchVariable] = lib }, "doctor");

        Assert.Equal(0, code);
        Assert.Contains("✔ TorchSharp", output);
        Assert.Contains("libtorch 2.10.0+linked", output); // the release its version.py states, not TorchSharp's constant
        Assert.Contains("(WALKTHROUGH_LIBTORCH)", output);
    }

    [LinuxFact]
    public void A_mismatched_libtorch_gives_one_line_with_the_versions_and_no_crash()
    {
        var stub = Path.Combine(LibTorchFolders.Package, "libtorch.so");
        var lib = LibTorchFolders.PythonLayout("2.11.0+cu130", _ => stub, "libc10.so", "libtorch_cpu.so", "libtorch.so");

        var (code, output, error) = LibTorchFolders.RunCli(new Dictionary<string, string> { [TorchRuntime.LibTorchVariable] = lib }, "next", "Hi");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("libtorch 2.11.0+cu130", line);
        Assert.Contains("built for libtorch 2.10.0", line);
    }

    [LinuxFact]
    public void An_incomplete_folder_is_named_and_TorchSharp_does_not_fall_back_to_copying_libtorch_into_the_app()
    {
        var lib = LibTorchFolders.PythonLayout("2.10.0", name => Path.Combine(LibTorchFolders.Package, name), "libc10.so", "libtorch.so");

        var (code, output, _) = LibTorchFolders.RunCli(new Dictionary<string, string> { [TorchRuntime.LibTorchVariable] = lib }, "doctor");

        Assert.Equal(1, code);
        Assert.Contains($"{lib} has no libtorch_cpu.so", output);
        Assert.Contains("✘ CUDA                unknown: libtorch did not start", output);
        Assert.False(Directory.Exists(Path.Combine(CliBin, "cpu")), "TorchSharp's own loader copied libtorch into the app's cpu/ folder");
    }

    [LinuxFact]
    public void The_build_links_libtorch_from_the_NuGet_package_instead_of_copying_it_and_records_the_folder()
    {
        foreach (var bin in new[] { AppContext.BaseDirectory, CliBin })
        {
            var libraries = Directory.GetFiles(bin, "libtorch*.so", SearchOption.AllDirectories);
            Assert.NotEmpty(libraries);
            Assert.All(libraries, library => Assert.StartsWith(LibTorchFolders.Package, new FileInfo(library).LinkTarget));
            using var config = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(bin, "*.runtimeconfig.json").First()));
            var recorded = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
                .GetProperty(TorchNativeFiles.BuildFolderSetting).GetString();
            Assert.Equal(LibTorchFolders.Package, recorded);
        }
        Assert.Equal(TorchNativeFiles.PackageSource, TorchRuntime.Describe().LibTorchSource);
        Assert.Equal(LibTorchFolders.Package, TorchRuntime.Describe().LibTorchFolder); // the links lead to the package's files
    }
}
