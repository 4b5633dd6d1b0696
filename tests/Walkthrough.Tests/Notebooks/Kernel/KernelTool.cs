namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// The stock kernel, from the repository's tool manifest (.config/dotnet-tools.json): <c>dotnet tool restore</c> once per
/// test run, as a learner does once per clone. Nothing from apt is needed for it.
/// </summary>
internal static class KernelTool
{
    private static readonly Lazy<Task> Restored = new(async () =>
    {
        var restore = await ProcessRun.RunAsync("dotnet", ["tool", "restore"], RepoPaths.Root, TimeSpan.FromMinutes(5));
        if (restore.ExitCode != 0) throw new InvalidOperationException($"dotnet tool restore failed:\n{restore.Tail}");
    });

    public static Task RestoreAsync() => Restored.Value;
}
