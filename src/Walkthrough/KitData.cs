namespace Walkthrough;

/// <summary>
/// Where the kit's own data lives (the <c>data/</c> folder of the repository): the bundled tokenizers and model.
/// Found by walking up from the working directory and from the library's location, or set with WALKTHROUGH_DATA.
/// </summary>
public static class KitData
{
    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The data folder, or an error that says how to point the kit at it.</summary>
    public static string Root => Found.Value ?? throw new WalkthroughException(
        "The kit's data/ folder was not found above the working directory or the Walkthrough library. " +
        "Run from inside the cloned repository, or set WALKTHROUGH_DATA to its data folder.");

    /// <summary>The kit's own small model, the default for every lesson that runs a model.</summary>
    public static string DefaultModel => Path.Combine(Root, "models", "walkthrough-tiny");

    /// <summary>The Mistral-7B tokenizer, the default for every lesson.</summary>
    public static string DefaultTokenizer => Path.Combine(Root, "tokenizers", "mistral-7b");

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WALKTHROUGH_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                // The kit's own default tokenizer marks the folder (tests/data has tokenizers too).
                var candidate = Path.Combine(dir.FullName, "data", "tokenizers", "mistral-7b");
                if (Directory.Exists(candidate)) return Path.Combine(dir.FullName, "data");
            }
        }
        return null;
    }
}
