namespace Walkthrough.Hub;

/// <summary>
/// What the hub says about one file of a repo: the commit the revision stands for, the file's etag — the sha256 of its
/// bytes for large (LFS) files, a git hash for the others — its size, and where to download it from.
/// </summary>
internal sealed record RemoteFile(RepoId Repo, string Name, string Commit, string Etag, long? Size, Uri Download)
{
    /// <summary>Large files are stored with Git LFS, whose etag is the sha256 of the content: the download can be checked.</summary>
    public bool IsLfs => Etag.Length == 64 && Etag.All(char.IsAsciiHexDigitLower);

    /// <summary>Small files are plain git blobs, whose etag is git's sha1 of "blob SIZE", a NUL byte and the content: checkable too.</summary>
    public bool IsGitBlob => Etag.Length == 40 && Etag.All(char.IsAsciiHexDigitLower);
}
