namespace Walkthrough.Tests;

/// <summary>Paths inside the repository, found from the test's output folder.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string TestData(params string[] parts) => Path.Combine([Root, "tests", "data", .. parts]);

    public static string Data(params string[] parts) => Path.Combine([Root, "data", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Walkthrough.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Walkthrough.sln not found above " + AppContext.BaseDirectory);
    }
}
