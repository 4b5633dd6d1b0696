namespace Walkthrough.Notebooks;

/// <summary>
/// The lines of a cell that belong to the Polyglot kernel, not to C#: <c>#r "nuget: …"</c> (get a package),
/// <c>#i "nuget: …"</c> (a package source) and <c>#!</c> magic commands. The runner already has the kit's packages
/// loaded, so it blanks these lines before compiling (blank, not removed, so compiler line numbers still match the
/// cell) and hands the package references to <see cref="PackageCheck"/>.
/// </summary>
internal sealed record KernelDirectives(string Code, IReadOnlyList<PackageDirective> Packages)
{
    public static KernelDirectives Strip(string source)
    {
        var lines = source.Split('\n');
        var packages = new List<PackageDirective>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (NuGetArgument(line, "#r") is { } reference)
            {
                var parts = reference.Split(',', 2, StringSplitOptions.TrimEntries);
                packages.Add(new PackageDirective(parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null, i + 1));
                lines[i] = "";
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal) || NuGetArgument(line, "#i") is not null)
            {
                lines[i] = "";
            }
        }
        return new KernelDirectives(string.Join('\n', lines), packages);
    }

    /// <summary>"X" from <c>#r "nuget: X"</c> (any spacing), or null for any other line.</summary>
    private static string? NuGetArgument(string line, string directive)
    {
        if (!line.StartsWith(directive, StringComparison.Ordinal)) return null;
        var rest = line[directive.Length..].Trim();
        if (rest.Length < 2 || rest[0] != '"' || rest[^1] != '"') return null;
        var argument = rest[1..^1].Trim();
        const string scheme = "nuget:";
        return argument.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? argument[scheme.Length..].Trim() : null;
    }
}
