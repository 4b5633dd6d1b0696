using System.Collections.Concurrent;
using Walkthrough.Notebooks;

namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// Each lesson executed once per test run on each path — the stock kernel over stdio, the kit's runner — and shared by
/// the tests that look at the results (each cell's outputs, the runner against the kernel, the pages in Chromium).
/// </summary>
internal static class LessonRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<Notebook>>> InKernel = new();
    private static readonly ConcurrentDictionary<string, Lazy<Task<Notebook>>> OnRunner = new();
    private static readonly SemaphoreSlim OneKernel = new(1, 1); // a kernel takes a core and a gigabyte: one at a time

    public static string Path(string lesson) => System.IO.Path.Combine(RepoPaths.Root, "notebooks", lesson);

    public static Task<Notebook> KernelAsync(string lesson) => InKernel.GetOrAdd(lesson, name => new Lazy<Task<Notebook>>(async () =>
    {
        await KernelTool.RestoreAsync();
        await OneKernel.WaitAsync();
        try
        {
            return await StockKernel.RunAsync(Path(name), TimeSpan.FromMinutes(8));
        }
        finally
        {
            OneKernel.Release();
        }
    })).Value;

    public static Task<Notebook> RunnerAsync(string lesson) => OnRunner.GetOrAdd(lesson, name => new Lazy<Task<Notebook>>(async () =>
        (await NotebookRunner.RunAsync(Path(name))).Notebook)).Value;
}
