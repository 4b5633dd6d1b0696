using System.Runtime.CompilerServices;

namespace Walkthrough.Tests;

/// <summary>
/// Test classes run in parallel, and many of them block a thread while a child process, a notebook kernel or a local
/// server answers. The thread pool starts with one thread per core and adds one or two a second beyond that, so on a
/// 2-core CI machine a fake server's queued work could wait longer than a client's 10-second timeout: a CI run saw the
/// fake hub answer a download's first request only after the client had given up and asked again from byte 0
/// (BlobDownloadTests, 2026-12-03). Threads on demand up to 64 keep such waits short.
/// </summary>
internal static class ThreadPoolHeadroom
{
    [ModuleInitializer]
    internal static void ForEveryTest()
    {
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completions, 64));
    }
}
