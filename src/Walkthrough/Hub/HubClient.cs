using System.Net;
using System.Net.Http.Headers;

namespace Walkthrough.Hub;

/// <summary>
/// The hub's HTTP protocol, as huggingface_hub speaks it: HEAD <c>{endpoint}/{repo}/resolve/{revision}/{file}</c> for
/// a file's commit, etag and size, then GET for its bytes; hub errors become messages that say what to do.
/// </summary>
internal sealed class HubClient(HubSettings settings) : IDisposable
{
    private const int MaxRedirects = 10;

    // Redirects are followed by hand: a renamed repo's relative redirect is part of the metadata, a CDN's is not,
    // and the token must not travel to another host.
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(10),  // huggingface_hub's default for metadata requests
        DefaultRequestHeaders = { { "User-Agent", "walkthrough/0.1 (huggingface_hub compatible)" } },
    };

    public string Endpoint => settings.Endpoint.AbsoluteUri.TrimEnd('/');

    /// <summary>A file's commit, etag, size and download address; null when the repo has no such file.</summary>
    public RemoteFile? Head(RepoId repo, string revision, string file)
    {
        var uri = new Uri($"{Endpoint}/{repo.Id}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");
        for (var hops = 0; ; hops++)
        {
            using var response = Send(HttpMethod.Head, uri);
            var location = Location(response);
            // A relative redirect is a renamed repo: follow it for the metadata. An absolute one leads to a CDN.
            if (location is not null && !IsAbsolute(location) && hops < MaxRedirects)
            {
                uri = Resolve(uri, location);
                continue;
            }
            if (Header(response, "X-Error-Code") == "EntryNotFound") return null;
            if (location is null) ThrowIfFailed(response, repo, revision, file);
            var commit = Header(response, "X-Repo-Commit") ?? throw new WalkthroughException(
                $"{Endpoint} answered for {file} of {repo.Id} without an X-Repo-Commit header: is HF_ENDPOINT a Hugging Face hub or a mirror of one?");
            var etag = Header(response, "X-Linked-Etag") ?? Header(response, "ETag") ?? throw new WalkthroughException(
                $"{Endpoint} answered for {file} of {repo.Id} without an ETag: is HF_ENDPOINT a Hugging Face hub or a mirror of one?");
            var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
            return new RemoteFile(repo, file, commit, Unquote(etag), size, location is null ? uri : Resolve(uri, location));
        }
    }

    /// <summary>The file's bytes from <paramref name="from"/> on (a Range request when resuming), redirects followed.</summary>
    public HttpResponseMessage Get(RemoteFile file, long from)
    {
        var uri = file.Download;
        for (var hops = 0; ; hops++)
        {
            var response = Send(HttpMethod.Get, uri, from);
            if (Location(response) is { } next && hops < MaxRedirects)
            {
                response.Dispose();
                uri = Resolve(uri, next);
                continue;
            }
            try
            {
                ThrowIfFailed(response, file.Repo, file.Commit, file.Name);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    private HttpResponseMessage Send(HttpMethod method, Uri uri, long from = 0)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.AcceptEncoding.ParseAdd("identity");  // sizes and hashes are of the bytes as stored
        // Like huggingface_hub: the token goes to the hub only, never to a CDN a download is redirected to.
        if (settings.Token is { } token && Uri.Compare(uri, settings.Endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        return _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private void ThrowIfFailed(HttpResponseMessage response, RepoId repo, string revision, string file)
    {
        if (response.IsSuccessStatusCode) return;
        var page = $"{Endpoint}/{repo.Id}";
        throw new WalkthroughException((Header(response, "X-Error-Code"), response.StatusCode) switch
        {
            ("GatedRepo", _) =>
                $"{repo.Id} is a gated model: accept its licence at {page} (logged in), then set HF_TOKEN or run `huggingface-cli login`" +
                (settings.Token is null ? "." : " — the token given has no access to it yet."),
            ("RepoNotFound", _) or (null, HttpStatusCode.Unauthorized) =>
                $"{repo.Id} was not found on {Endpoint}, nor as a local folder: check the name at {page}; " +
                "if it is private, set HF_TOKEN or run `huggingface-cli login`.",
            ("RevisionNotFound", _) =>
                $"{repo.Id} has no revision \"{revision}\": give a branch, tag or commit hash it has (see {page}/tree/main).",
            ("EntryNotFound", _) or (null, HttpStatusCode.NotFound) =>
                $"{repo.Id} has no file {file} at revision {revision} (see {page}/tree/{revision}).",
            (_, HttpStatusCode.Forbidden) =>
                $"{Endpoint} refused {file} of {repo.Id} (403 Forbidden): the token has no access to it; check its permissions at {Endpoint}/settings/tokens.",
            var (_, status) =>
                $"{Endpoint} answered {(int)status} {response.ReasonPhrase} for {file} of {repo.Id}: try again later.",
        });
    }

    private static string? Location(HttpResponseMessage response) =>
        (int)response.StatusCode is >= 300 and < 400 ? Header(response, "Location") : null;

    private static bool IsAbsolute(string location) => Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    // "/org/name/resolve/..." is relative to the host (alone, on Unix, Uri would read it as a file path).
    private static Uri Resolve(Uri request, string location) => IsAbsolute(location)
        ? new Uri(location)
        : new Uri(request.GetLeftPart(UriPartial.Authority) + (location.StartsWith('/') ? "" : "/") + location);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;

    // ETags come quoted, sometimes marked weak: W/"abc" is abc.
    private static string Unquote(string etag) => (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    public void Dispose() => _http.Dispose();
}
