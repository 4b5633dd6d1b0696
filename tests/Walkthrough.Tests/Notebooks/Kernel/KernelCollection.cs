namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>Tests that start kernels or browsers: one after another, beside the rest of the suite.</summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
