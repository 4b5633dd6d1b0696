using System.Diagnostics;

namespace Walkthrough.Tests.Native;

/// <summary>
/// libtorch folders for the tests, made of links to the NuGet package's files (no 600 MB copies), and the CLI run as its
/// own process — a process loads libtorch once, so each folder needs a fresh one.
/// </summary>
internal static class LibTorchFolders
{
    public static readonly string Package = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");

    /// <summary>A Python-package layout, torch/lib with torch/version.py beside it; each library named is a link to <paramref name="target"/>(name).</summary>
    public static string PythonLayout(string version, Func<string, string> target, params string[] libraries)
    {
        var torch = Path.Combine(Directory.CreateTempSubdirectory("walkthrough-libtorch-").FullName, "torch");
        var lib = Directory.CreateDirectory(Path.Combine(torch, "lib")).FullName;
        File.WriteAllText(Path.Combine(torch, "version.py"), $"__version__ = '{version}'\ndebug = False\n");
        foreach (var library in libraries)
            File.CreateSymbolicLink(Path.Combine(lib, library), target(library));
        return lib;
    }

    /// <summary>The built CLI (src/Walkthrough.Cli/bin/…), run with <paramref name="environment"/> added.</summary>
    public static (int Code, string Out, string Error) RunCli(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/Debug/net10.0/
        var dll = Path.Combine(RepoPaths.Root, "src", "Walkthrough.Cli", "bin", configuration, "net10.0", "Walkthrough.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"walkthrough {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
