namespace Walkthrough.Tests.Notebooks;

/// <summary>
/// Tests that run notebooks share the process's working directory and console, as a notebook kernel owns its
/// process: they run one after another, never beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks";
}
