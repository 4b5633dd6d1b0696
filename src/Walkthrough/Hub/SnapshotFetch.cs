namespace Walkthrough.Hub;

/// <summary>
/// Fetches files of one repo at one revision into the cache, one by one, as <c>hf_hub_download</c> does: a HEAD request
/// says which commit and blob a file is, and only a blob the cache lacks is downloaded. Once the revision is resolved,
/// every further file comes from that commit, and a file the cache has there needs no request at all. Offline, files
/// come from the cache only, and what it lacks is listed at the end.
/// </summary>
internal sealed class SnapshotFetch : IDisposable
{
    private readonly RepoId _repo;
    private readonly HubSettings _settings;
    private readonly IProgress<HubProgress>? _progress;
    private readonly HubCache _cache;
    private readonly Lazy<HubClient> _client;
    private readonly Dictionary<string, string> _paths = [];  // file → its path in the snapshot
    private readonly List<string> _absent = [];               // files the repo does not have
    private readonly List<string> _missing = [];              // offline: files the cache lacks
    private string? _commit;                                  // the revision's commit, once known

    public SnapshotFetch(RepoId repo, HubSettings settings, IProgress<HubProgress>? progress)
    {
        (_repo, _settings, _progress) = (repo, settings, progress);
        _cache = new HubCache(settings.CacheRoot, repo);
        _client = new(() => new HubClient(settings));
        if (settings.Offline || RepoId.IsCommitHash(repo.Revision)) _commit = _cache.CommitOf(repo.Revision);
    }

    public RepoId Repo => _repo;

    private string Revision => _commit ?? _repo.Revision;

    public string PathOf(string file) => _paths[file];

    /// <summary>Fetches a file the model can do without; false when the repo — or, offline, the cache — does not have it.</summary>
    public bool Want(string file)
    {
        if (Get(file) is not { } path) return false;
        _paths[file] = path;
        return true;
    }

    /// <summary>Fetches the first of these files the repo has; having none is an error (offline: a missing file, listed at the end).</summary>
    public void Need(params string[] alternatives)
    {
        if (!alternatives.Any(Want)) Lacks(alternatives);
    }

    public void Lacks(params string[] alternatives)
    {
        if (_settings.Offline) _missing.Add(string.Join(" or ", alternatives));
        else throw new WalkthroughException(
            $"{_repo.Id} has no {string.Join(" or ", alternatives)} at revision {_repo.Revision}: check the repo at {_client.Value.Endpoint}/{_repo.Id}/tree/{Revision}.");
    }

    /// <summary>Whether the repo has a file, asked without downloading it (never offline).</summary>
    public bool OnHub(string file) => !_settings.Offline && _client.Value.Head(_repo, Revision, file) is not null;

    public HubSnapshot Finish()
    {
        if (_missing.Count > 0)
        {
            var revision = _repo.Revision == RepoId.DefaultRevision ? "" : $" --revision {_repo.Revision}";
            throw new WalkthroughException(
                $"Offline (HF_HUB_OFFLINE), and the cache {_settings.CacheRoot} lacks these files of {_repo}: {string.Join(", ", _missing)}. " +
                $"Download them once while online: unset HF_HUB_OFFLINE and run the same again, or run " +
                $"`huggingface-cli download {_repo.Id} {string.Join(" ", _missing.Select(m => m.Split(" or ")[0]))}{revision}`.");
        }
        var commit = _commit ?? throw new InvalidOperationException("No file of the snapshot was asked for.");
        foreach (var file in _absent) _cache.RecordMissing(commit, file);  // so a later offline run knows too
        return new HubSnapshot(_repo, commit, _cache.Snapshot(commit), [.. _paths.Keys]);
    }

    private string? Get(string file)
    {
        if (_settings.Offline) return _commit is null ? null : _cache.Cached(_commit, file);
        if (RepoId.IsCommitHash(Revision))
        {
            if (_cache.Cached(Revision, file) is { } cached) return cached;
            if (_cache.KnownMissing(Revision, file)) return null;
        }
        RemoteFile? remote;
        try
        {
            remote = _client.Value.Head(_repo, Revision, file);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // As huggingface_hub does: with no connection, the file cached for this revision will do.
            if (_cache.CommitOf(Revision) is { } commit && _cache.Cached(commit, file) is { } cached)
            {
                _commit = commit;
                return cached;
            }
            throw new WalkthroughException(
                $"Could not reach {_client.Value.Endpoint} for {file} of {_repo} ({e.Message}), and the cache {_settings.CacheRoot} does not have it: " +
                "check the connection and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only what is cached.", e);
        }
        if (remote is null)
        {
            _absent.Add(file);
            return null;
        }
        if (_commit is null)
        {
            _commit = remote.Commit;
            _cache.RecordCommit(_repo.Revision, remote.Commit);
        }
        BlobDownload.Fetch(_client.Value, _cache, remote, _progress);
        return _cache.Pointer(remote.Commit, file);
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
