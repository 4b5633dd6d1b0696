namespace Walkthrough.Tests.Notebooks;

/// <summary>The runner's test notebooks, written by tests/data/notebooks/make-notebooks.py.</summary>
internal static class TestNotebooks
{
    public static string Path(string name) => RepoPaths.TestData("notebooks", name);
}
