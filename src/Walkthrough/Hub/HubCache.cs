namespace Walkthrough.Hub;

/// <summary>
/// One repo's folder in the Hugging Face cache, laid out as huggingface_hub lays it out so Python and the kit share
/// downloads: <c>models--ORG--NAME/</c> holds <c>blobs/ETAG</c> (the bytes), <c>snapshots/COMMIT/FILE</c> (a relative
/// link to <c>../../blobs/ETAG</c>), <c>refs/REVISION</c> (the commit a branch or tag was at) and
/// <c>.no_exist/COMMIT/FILE</c> (files the repo does not have); downloads lock <c>.locks/models--ORG--NAME/ETAG.lock</c>.
/// </summary>
internal sealed class HubCache(string root, RepoId repo)
{
    public string Root => root;

    public string RepoFolder => Path.Combine(root, repo.FolderName);

    public string Blob(string etag) => Path.Combine(RepoFolder, "blobs", etag);

    public string Snapshot(string commit) => Path.Combine(RepoFolder, "snapshots", commit);

    public string Pointer(string commit, string file) => Path.Combine(Snapshot(commit), file);

    public string Lock(string etag) => Path.Combine(root, ".locks", repo.FolderName, etag + ".lock");

    private string Ref(string revision) => Path.Combine(RepoFolder, "refs", revision);

    private string NoExist(string commit, string file) => Path.Combine(RepoFolder, ".no_exist", commit, file);

    /// <summary>The commit a revision stands for: what refs/ recorded for a branch or tag, a commit hash itself; null if never resolved.</summary>
    public string? CommitOf(string revision) =>
        File.Exists(Ref(revision)) ? File.ReadAllText(Ref(revision)).Trim()
        : RepoId.IsCommitHash(revision) ? revision
        : null;

    public void RecordCommit(string revision, string commit)
    {
        if (revision == commit || CommitOf(revision) == commit) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Ref(revision))!);
        File.WriteAllText(Ref(revision), commit);
    }

    /// <summary>The file of a commit, if the cache has it — a link whose blob is there, or a copy.</summary>
    public string? Cached(string commit, string file)
    {
        var pointer = Pointer(commit, file);
        return File.Exists(pointer) && (File.ResolveLinkTarget(pointer, returnFinalTarget: true) is not { } blob || blob.Exists) ? pointer : null;
    }

    public bool KnownMissing(string commit, string file) => File.Exists(NoExist(commit, file));

    public void RecordMissing(string commit, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(NoExist(commit, file))!);
        File.WriteAllBytes(NoExist(commit, file), []);
    }

    /// <summary>Makes snapshots/COMMIT/FILE point at the blob: a relative link, or a copy where links are not allowed.</summary>
    public void Link(string commit, string file, string etag)
    {
        var pointer = Pointer(commit, file);
        var folder = Path.GetDirectoryName(pointer)!;
        var target = Path.GetRelativePath(folder, Blob(etag));
        var existing = new FileInfo(pointer);
        // Linked already, or copied already where links are not allowed.
        if (existing.LinkTarget == target || (existing is { Exists: true, LinkTarget: null } && existing.Length == new FileInfo(Blob(etag)).Length)) return;
        Directory.CreateDirectory(folder);
        File.Delete(pointer);
        try
        {
            File.CreateSymbolicLink(pointer, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows without Developer Mode cannot make links; huggingface_hub then keeps a copy as well.
            File.Copy(Blob(etag), pointer);
        }
    }
}
