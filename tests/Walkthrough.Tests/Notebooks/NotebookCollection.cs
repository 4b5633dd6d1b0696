namespace Walkthrough.Tests.Notebooks;

/// <summary>
/// Tests that run notebooks share the process's working directory and console, as a notebook kernel owns its
/// process: they run one after another, never beside each other — nor beside the kernel tests, which run lessons on
/// the runner too (a page in Chromium), so this collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks";
}
