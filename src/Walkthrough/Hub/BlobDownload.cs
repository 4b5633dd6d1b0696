using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Walkthrough.Display;

namespace Walkthrough.Hub;

/// <summary>
/// Brings one file's bytes into the cache safely: under a lock (another thread or process — Python's too — may be
/// fetching the same blob), into <c>blobs/ETAG.incomplete</c>, resumed with a Range request after a cut, checked
/// against its size and its etag — the sha256 of an LFS file, the git blob hash of a small one (config.json with one
/// wrong byte is no config) — then renamed into place: a blob that looks complete is complete.
/// </summary>
internal static class BlobDownload
{
    private const int Attempts = 5;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);  // huggingface_hub's, per read
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Makes snapshots/COMMIT/FILE hold the file, downloading its blob unless the cache has it whole.</summary>
    public static void Fetch(HubClient client, HubCache cache, RemoteFile file, IProgress<HubProgress>? progress)
    {
        var blob = cache.Blob(file.Etag);
        using (Lock(cache.Lock(file.Etag)))
        {
            // A blob of the wrong size was cut short or overwritten: fetch it again.
            if (File.Exists(blob) && file.Size is { } size && new FileInfo(blob).Length != size) File.Delete(blob);
            if (!File.Exists(blob)) Download(client, file, blob, progress);
            cache.Link(file.Commit, file.Name, file.Etag);
        }
    }

    private static void Download(HubClient client, RemoteFile file, string blob, IProgress<HubProgress>? progress)
    {
        var partial = blob + ".incomplete";
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var received = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (file.Size - received is { } needed && FreeBytes(partial) is { } free && needed > free)
            throw new WalkthroughException(NoSpace(file, partial, needed, free));
        using (var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Receive(client, file, output, partial, progress);
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    if (attempt == Attempts)
                        throw new WalkthroughException(
                            $"Downloading {file.Name} of {file.Repo.Id} failed {Attempts} times ({e.Message}); the {Units.Bytes(output.Length)} " +
                            $"received are kept in {partial}: run the same again to resume.", e);
                    Thread.Sleep(TimeSpan.FromSeconds(0.5 * attempt));
                }
            }
        }
        Verify(file, partial);
        File.Move(partial, blob, overwrite: true);  // a rename on one disk: the blob appears whole or not at all
    }

    // Appends what the server sends from the partial file's length on; a cut shows as an exception, to resume.
    private static void Receive(HubClient client, RemoteFile file, FileStream output, string partial, IProgress<HubProgress>? progress)
    {
        var from = output.Seek(0, SeekOrigin.End);
        if (from >= file.Size) return;  // whole already (or too long: Verify says so)
        using var response = client.Get(file, from);
        if (from > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            output.SetLength(0);  // the server ignored the range: start over
            from = 0;
        }
        using var body = response.Content.ReadAsStream();
        var buffer = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        var done = from;
        progress?.Report(new HubProgress(file.Name, done, file.Size, 0));
        while (true)
        {
            int read;
            // A stalled connection must end too: every read has its own deadline.
            using (var deadline = new CancellationTokenSource(ReadTimeout))
                read = body.ReadAsync(buffer, deadline.Token).AsTask().GetAwaiter().GetResult();
            if (read == 0) break;
            try
            {
                output.Write(buffer, 0, read);
            }
            catch (IOException e)
            {
                throw new WalkthroughException(NoSpace(file, partial, (file.Size ?? done) - done, FreeBytes(partial), e.Message), e);
            }
            done += read;
            if (clock.Elapsed - reported < ReportEvery) continue;
            reported = clock.Elapsed;
            progress?.Report(new HubProgress(file.Name, done, file.Size, Speed(done - from, clock)));
        }
        if (done < file.Size) throw new IOException($"the connection closed after {done:N0} of {file.Size:N0} bytes");
        progress?.Report(new HubProgress(file.Name, done, file.Size ?? done, Speed(done - from, clock)));
    }

    private static void Verify(RemoteFile file, string partial)
    {
        var length = new FileInfo(partial).Length;
        var problem = length != (file.Size ?? length) ? $"{length:N0} bytes arrived where the hub said {file.Size:N0}"
            : file.IsLfs && Sha256(partial) is var sha && sha != file.Etag ? $"its sha256 is {sha}, the hub's is {file.Etag}"
            : file.IsGitBlob && GitBlobSha1(partial) is var sha1 && sha1 != file.Etag ? $"its git blob hash is {sha1}, the hub's ETag is {file.Etag}"
            : null;
        if (problem is null) return;
        File.Delete(partial);
        throw new WalkthroughException(
            $"{file.Name} of {file.Repo.Id} arrived damaged ({problem}), so it was deleted: run the same again to download it afresh.");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    // What git names a file's content by: sha1("blob " + size + "\0" + bytes).
    private static string GitBlobSha1(string path)
    {
        using var stream = File.OpenRead(path);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(System.Text.Encoding.ASCII.GetBytes($"blob {stream.Length}\0"));
        var buffer = new byte[1 << 16];
        for (int read; (read = stream.Read(buffer)) > 0;) sha1.AppendData(buffer, 0, read);
        return Convert.ToHexString(sha1.GetHashAndReset()).ToLowerInvariant();
    }

    // Held while a blob is fetched. FileShare.None takes an exclusive flock on Unix: the lock huggingface_hub's filelock takes too.
    private static FileStream Lock(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e.GetType() == typeof(IOException))
            {
                Thread.Sleep(100);  // another download of the same blob: when it ends, the blob is there
            }
        }
    }

    private static string NoSpace(RemoteFile file, string partial, long needed, long? free, string? error = null) =>
        $"Not enough disk space for {file.Name} of {file.Repo.Id}{(error is null ? "" : $" ({error})")}: it needs {Units.Bytes(needed)} more " +
        $"in {Path.GetDirectoryName(partial)}, where {(free is { } f ? Units.Bytes(f) : "an unknown amount")} is free. " +
        "Free some space, or set HF_HUB_CACHE to a folder on a bigger disk.";

    private static long? FreeBytes(string path)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            return new DriveInfo(OperatingSystem.IsWindows() ? Path.GetPathRoot(folder)! : folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Speed(long bytes, Stopwatch clock) => bytes / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
}
