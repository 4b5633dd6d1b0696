namespace Walkthrough.Notebooks;

/// <summary>A <c>#r "nuget: Name, Version"</c> line: a package the kernel would download. Line is 1-based.</summary>
internal sealed record PackageDirective(string Name, string? Version, int Line);
