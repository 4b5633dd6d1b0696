namespace Walkthrough.Notebooks;

/// <summary>The kit's lessons: notebooks/NN-name.ipynb, found by number ("01") or name ("tokens").</summary>
public static class Lessons
{
    /// <summary>The notebooks folder of the repository the kit runs from.</summary>
    public static string Folder => Path.Combine(Path.GetDirectoryName(KitData.Root)!, "notebooks");

    public static IReadOnlyList<string> All() =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The lesson whose file name starts with the number or contains the name.</summary>
    public static string Find(string id)
    {
        var all = All();
        var match = all.FirstOrDefault(p => Path.GetFileName(p).StartsWith(id.PadLeft(2, '0') + "-", StringComparison.Ordinal))
            ?? all.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p).Contains(id, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new WalkthroughException(
            $"No lesson \"{id}\" in {Folder}: the lessons are {string.Join(", ", all.Select(p => Path.GetFileNameWithoutExtension(p)))}.");
    }
}
