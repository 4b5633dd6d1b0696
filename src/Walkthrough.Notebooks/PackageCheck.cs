using System.Xml.Linq;

namespace Walkthrough.Notebooks;

/// <summary>
/// Decides whether a notebook's <c>#r "nuget: Name, Version"</c> is one the runner honours: the package must be one the
/// kit already provides, and its version must be the one the kit pins (Directory.Packages.props; the kit's own
/// version from src/Walkthrough/Walkthrough.csproj). A lesson can then never ask VS Code for other versions than the
/// ones the tests ran with.
/// </summary>
internal sealed class PackageCheck
{
    private const string ProvidedList =
        "Walkthrough, TorchSharp, TorchSharp-cpu, TorchSharp-cuda-linux, TorchSharp-cuda-windows, libtorch-cpu-*, " +
        "Microsoft.ML.Tokenizers*, Microsoft.Data.Analysis, Microsoft.DotNet.Interactive.Formatting";

    private readonly Dictionary<string, (string Version, string File)> pinned; // package id → version and where it is pinned

    private PackageCheck(Dictionary<string, (string, string)> pinned) => this.pinned = pinned;

    /// <summary>
    /// Reads the pins of the repository the notebook is in. Outside a repository (no Directory.Packages.props above
    /// the notebook) only package names are checked.
    /// </summary>
    public static PackageCheck For(string notebookFolder)
    {
        for (var dir = new DirectoryInfo(notebookFolder); dir is not null; dir = dir.Parent)
        {
            var props = Path.Combine(dir.FullName, "Directory.Packages.props");
            if (File.Exists(props)) return new PackageCheck(ReadPins(dir.FullName, props));
        }
        return new PackageCheck(new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>What is wrong with the directive, in a sentence that says what to write instead; null if nothing.</summary>
    public string? Problem(PackageDirective package)
    {
        if (!IsProvided(package.Name))
            return $"package {package.Name} is not part of the kit; the runner provides {ProvidedList}";
        if (!pinned.TryGetValue(PinnedAs(package.Name), out var pin))
            return package.Version is null ? $"package {package.Name} has no version: pin one, as every lesson does" : null;
        if (string.Equals(package.Version, pin.Version, StringComparison.OrdinalIgnoreCase))
            return null;
        var asked = package.Version is null ? "has no version" : $"{package.Version} is not the kit's version";
        return $"package {package.Name} {asked}: the kit pins {pin.Version} ({pin.File}); write #r \"nuget: {package.Name}, {pin.Version}\"";
    }

    private static bool IsProvided(string name) =>
        name.Equals("Walkthrough", StringComparison.OrdinalIgnoreCase)
        || PinnedAs(name).Equals("TorchSharp", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("libtorch-cpu-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.ML.Tokenizers", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Microsoft.Data.Analysis", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Microsoft.DotNet.Interactive.Formatting", StringComparison.OrdinalIgnoreCase);

    /// <summary>TorchSharp-cpu and TorchSharp-cuda-* only bundle TorchSharp with libtorch: same version as TorchSharp.</summary>
    private static string PinnedAs(string name) =>
        name.Equals("TorchSharp-cpu", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TorchSharp-cuda-linux", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TorchSharp-cuda-windows", StringComparison.OrdinalIgnoreCase)
            ? "TorchSharp"
            : name;

    private static Dictionary<string, (string, string)> ReadPins(string root, string props)
    {
        var pins = XDocument.Load(props).Descendants("PackageVersion")
            .Where(item => item.Attribute("Include") is not null && item.Attribute("Version") is not null)
            .ToDictionary(item => item.Attribute("Include")!.Value, item => (item.Attribute("Version")!.Value, "Directory.Packages.props"),
                StringComparer.OrdinalIgnoreCase);
        var library = Path.Combine(root, "src", "Walkthrough", "Walkthrough.csproj");
        if (File.Exists(library) && XDocument.Load(library).Descendants("Version").FirstOrDefault() is { } version)
            pins["Walkthrough"] = (version.Value.Trim() + "-*", "src/Walkthrough/Walkthrough.csproj"); // the newest build, see StampNotebookPackage
        return pins;
    }
}
