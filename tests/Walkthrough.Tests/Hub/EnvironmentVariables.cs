namespace Walkthrough.Tests.Hub;

/// <summary>
/// Tests that set process-wide environment variables (HF_TOKEN, HF_HUB_CACHE ...) run in this collection, alone, so
/// no other test reads a value meant for them; each restores what it changed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentVariables
{
    public const string Name = "Environment variables";

    /// <summary>Sets variables (null unsets) until disposed, then puts back what was there.</summary>
    public static IDisposable Set(params (string Name, string? Value)[] variables)
    {
        var previous = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
        foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
        return new Restore(previous);
    }

    private sealed class Restore((string Name, string? Value)[] previous) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
