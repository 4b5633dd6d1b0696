using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Walkthrough.Tests.Hub;

/// <summary>One request the fake hub received.</summary>
internal sealed record FakeRequest(string Method, string Path, string Host, IReadOnlyDictionary<string, string> Headers)
{
    public string? Authorization => Headers.GetValueOrDefault("authorization");

    public string? Range => Headers.GetValueOrDefault("range");
}

/// <summary>A repo the fake hub serves: its files at one commit, and who may read it.</summary>
internal sealed class FakeRepo(string id, IReadOnlyDictionary<string, byte[]> files)
{
    public string Id => id;

    public string Commit { get; } = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(id))).ToLowerInvariant();

    public IReadOnlyDictionary<string, byte[]> Files => files;

    /// <summary>Gated: only this token may read it.</summary>
    public string? GatedFor { get; init; }
}

/// <summary>
/// A small Hugging Face Hub on 127.0.0.1, speaking the protocol huggingface_hub uses: HEAD and GET
/// /ORG/NAME/resolve/REVISION/FILE with X-Repo-Commit; small files answered directly with a weak git-sha1 ETag; LFS
/// files (.safetensors, .bin, .model) redirected (302) to a "CDN" at http://localhost:PORT/cdn/SHA256 — another host —
/// with X-Linked-Etag and X-Linked-Size; relative 307s for renamed repos; Range requests (206); the hub's X-Error-Code
/// errors. Faults on demand: a body cut midway, corrupted CDN bytes, a corrupted small file, a slow body.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new();
    private readonly ConcurrentDictionary<string, string> _renamed = new();
    private int _cuts;

    public FakeHub()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAll);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>The byte of a file a cut body stops at.</summary>
    public int CutAfter { get; } = 1 << 20;

    /// <summary>The X-Linked-Size the hub claims for LFS files, instead of their real size.</summary>
    public long? ClaimedSize { get; set; }

    /// <summary>The CDN serves every LFS file with one byte changed: its sha256 no longer matches.</summary>
    public bool CorruptLfs { get; set; }

    /// <summary>Small (non-LFS) files are served with one byte changed and the right size, under their true ETag.</summary>
    public bool CorruptSmall { get; set; }

    /// <summary>Bodies are sent in ten pieces with this pause between them.</summary>
    public TimeSpan SlowBody { get; set; }

    /// <summary>The next <paramref name="bodies"/> bodies that reach past <see cref="CutAfter"/> stop there, the connection closed.</summary>
    public void Cut(int bodies) => _cuts = bodies;

    public FakeRepo Add(FakeRepo repo) => _repos[repo.Id] = repo;

    public FakeRepo Add(string id, IReadOnlyDictionary<string, byte[]> files) => Add(new FakeRepo(id, files));

    public void Rename(string oldId, string newId) => _renamed[oldId] = newId;

    public IEnumerable<FakeRequest> To(string pathPart) => Requests.Where(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static bool IsLfs(string file) => file.EndsWith(".safetensors") || file.EndsWith(".bin") || file.EndsWith(".model");

    private async Task AcceptAll()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequest(stream);
                Requests.Enqueue(request);
                await Answer(stream, request);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }

    private static async Task<FakeRequest> ReadRequest(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("closed before the request ended");
            bytes.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim());
        return new FakeRequest(parts[0], parts[1], headers.GetValueOrDefault("host", ""), headers);
    }

    private async Task Answer(NetworkStream stream, FakeRequest request)
    {
        var path = request.Path.Split('?')[0];
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            var sha = path["/cdn/".Length..];
            var file = _repos.Values.SelectMany(r => r.Files.Values).FirstOrDefault(f => Sha256(f) == sha);
            if (file is null) await Send(stream, 404, []);
            else await SendBody(stream, request, CorruptLfs ? Corrupted(file) : file, [("ETag", $"\"{sha}\"")]);
            return;
        }

        var segments = path.Split('/', 6, StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 5 || segments[2] != "resolve")
        {
            await Send(stream, 404, []);
            return;
        }
        var id = $"{segments[0]}/{segments[1]}";
        var revision = Uri.UnescapeDataString(segments[3]);
        var name = Uri.UnescapeDataString(segments[4]);
        if (_renamed.TryGetValue(id, out var newId))
        {
            await Send(stream, 307, [("Location", $"/{newId}/resolve/{segments[3]}/{segments[4]}")]);
            return;
        }
        if (!_repos.TryGetValue(id, out var repo))
        {
            await Send(stream, 404, [("X-Error-Code", "RepoNotFound")]);
            return;
        }
        if (repo.GatedFor is { } token && request.Authorization != $"Bearer {token}")
        {
            await Send(stream, request.Authorization is null ? 401 : 403, [("X-Error-Code", "GatedRepo")]);
            return;
        }
        if (revision != "main" && revision != repo.Commit)
        {
            await Send(stream, 404, [("X-Error-Code", "RevisionNotFound")]);
            return;
        }
        if (!repo.Files.TryGetValue(name, out var bytes))
        {
            await Send(stream, 404, [("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", repo.Commit)]);
            return;
        }
        if (IsLfs(name))
        {
            var sha = Sha256(bytes);
            await Send(stream, 302, [
                ("Location", $"http://localhost:{Port}/cdn/{sha}?signature=abc"), ("X-Repo-Commit", repo.Commit),
                ("X-Linked-Etag", $"\"{sha}\""), ("X-Linked-Size", (ClaimedSize ?? bytes.Length).ToString()), ("ETag", "\"pointer-file-etag\"")]);
            return;
        }
        await SendBody(stream, request, CorruptSmall ? Corrupted(bytes) : bytes, [("X-Repo-Commit", repo.Commit), ("ETag", $"W/\"{GitSha1(bytes)}\"")]);
    }

    private async Task SendBody(NetworkStream stream, FakeRequest request, byte[] bytes, (string, string)[] headers)
    {
        var from = request.Range is { } range && range.StartsWith("bytes=") ? long.Parse(range["bytes=".Length..].TrimEnd('-')) : 0;
        var status = from > 0 ? 206 : 200;
        var extra = from > 0 ? headers.Append(("Content-Range", $"bytes {from}-{bytes.Length - 1}/{bytes.Length}")).ToArray() : headers;
        var body = bytes.AsMemory((int)from);
        await Send(stream, status, extra, body.Length);
        if (request.Method == "HEAD") return;

        // A cut stops at byte CutAfter of the file, wherever the request started.
        if (from + body.Length > CutAfter && Interlocked.Decrement(ref _cuts) >= 0) body = body[..(int)Math.Max(0, CutAfter - from)];
        var piece = SlowBody > TimeSpan.Zero ? Math.Max(1, body.Length / 10) : Math.Max(1, body.Length);
        for (var at = 0; at < body.Length; at += piece)
        {
            await stream.WriteAsync(body[at..Math.Min(body.Length, at + piece)]);
            if (SlowBody > TimeSpan.Zero) await Task.Delay(SlowBody);
        }
        // Returning closes the connection: a cut body ends short of its Content-Length.
    }

    private static async Task Send(NetworkStream stream, int status, (string Name, string Value)[] headers, long length = 0)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {(HttpStatusCode)status}\r\n");
        foreach (var (name, value) in headers) head.Append($"{name}: {value}\r\n");
        head.Append($"Content-Length: {length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    private static byte[] Corrupted(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[copy.Length / 2] ^= 0xFF;
        return copy;
    }

    // The etag git gives a small file: the sha1 of "blob LENGTH\0" and the bytes.
    private static string GitSha1(byte[] bytes) =>
        Convert.ToHexString(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes])).ToLowerInvariant();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
