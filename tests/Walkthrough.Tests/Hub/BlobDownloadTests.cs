using Walkthrough.Hub;
using Walkthrough.Tests.Native;

namespace Walkthrough.Tests.Hub;

/// <summary>Bringing a file's bytes into the cache: resumed after a cut, checked, locked, and never half there.</summary>
public sealed class BlobDownloadTests : IDisposable
{
    private readonly HubSandbox _sandbox = new();
    private readonly FakeRepo _repo;
    private readonly byte[] _weights;
    private readonly string _blob;

    public BlobDownloadTests()
    {
        _repo = _sandbox.Hub.Add("org/tiny", HubSandbox.SmallModel());
        _weights = _repo.Files["model.safetensors"];
        _blob = Path.Combine(_sandbox.RepoFolder("org/tiny"), "blobs", FakeHub.Sha256(_weights));
    }

    private FakeHub Hub => _sandbox.Hub;

    public void Dispose() => _sandbox.Dispose();

    private HubSnapshot DownloadWeights(HubSettings? settings = null, IProgress<HubProgress>? progress = null) =>
        HubSnapshot.Download("org/tiny", HubFiles.Weights, settings ?? _sandbox.Settings, progress);

    [Fact]
    public void A_connection_cut_midway_is_resumed_with_a_range_request()
    {
        Hub.Cut(bodies: 1);
        var progress = new HubProgressRecorder();

        var snapshot = DownloadWeights(progress: progress);

        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.Equal([null, $"bytes={Hub.CutAfter}-"], Hub.To("/cdn/").Select(r => r.Range));
        Assert.Equal((_weights.Length, (long?)_weights.Length), (progress.Reports[^1].BytesDone, progress.Reports[^1].BytesTotal));
        Assert.Equal("model.safetensors", progress.Reports[^1].File);
    }

    [Fact]
    public void A_partial_file_left_by_a_killed_download_is_continued_not_restarted()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_blob)!);
        File.WriteAllBytes(_blob + ".incomplete", _weights[..1000]);

        var snapshot = DownloadWeights();

        Assert.Equal("bytes=1000-", Assert.Single(Hub.To("/cdn/")).Range);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.False(File.Exists(_blob + ".incomplete"));
    }

    [Fact]
    public void A_download_that_keeps_failing_keeps_its_bytes_for_the_next_run_and_no_blob()
    {
        Hub.Cut(bodies: 5);

        var error = Assert.Throws<WalkthroughException>(() => DownloadWeights());

        Assert.Contains("Downloading model.safetensors of org/tiny failed 5 times", error.Message);
        Assert.Contains("run the same again to resume", error.Message);
        Assert.False(File.Exists(_blob));
        Assert.False(File.Exists(Path.Combine(_sandbox.RepoFolder("org/tiny"), "snapshots", _repo.Commit, "model.safetensors")));
        Assert.True(new FileInfo(_blob + ".incomplete").Length >= Hub.CutAfter);

        var snapshot = DownloadWeights();
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
    }

    [Fact]
    public void Bytes_that_do_not_match_the_sha256_are_deleted_and_the_file_named()
    {
        Hub.CorruptLfs = true;

        var error = Assert.Throws<WalkthroughException>(() => DownloadWeights());

        Assert.Contains("model.safetensors of org/tiny arrived damaged (its sha256 is", error.Message);
        Assert.Contains("run the same again to download it afresh", error.Message);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_blob)!));
        Assert.False(Directory.Exists(Path.Combine(_sandbox.RepoFolder("org/tiny"), "snapshots", _repo.Commit)));
    }

    [Fact]
    public void A_small_file_that_does_not_match_its_git_blob_hash_is_deleted_not_cached()
    {
        Hub.CorruptSmall = true;

        var error = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings));

        var config = _repo.Files["config.json"];
        Assert.Contains($"config.json of org/tiny arrived damaged (its git blob hash is ", error.Message);
        Assert.Contains($"the hub's ETag is {GitBlobHash(config)})", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_sandbox.RepoFolder("org/tiny"), "blobs")));
        Assert.False(File.Exists(Path.Combine(_sandbox.RepoFolder("org/tiny"), "snapshots", _repo.Commit, "config.json")));

        Hub.CorruptSmall = false;
        var snapshot = HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings);
        Assert.Equal(config, File.ReadAllBytes(Path.Combine(snapshot.Folder, "config.json")));
        Assert.True(File.Exists(Path.Combine(_sandbox.RepoFolder("org/tiny"), "blobs", GitBlobHash(config))));
    }

    // Computed here as git computes it (git hash-object), independently of the kit's own code.
    private static string GitBlobHash(byte[] content) =>
        Convert.ToHexString(System.Security.Cryptography.SHA1.HashData([.. System.Text.Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content])).ToLowerInvariant();

    [Fact]
    public async Task Two_downloads_of_one_file_at_once_make_one_whole_blob()
    {
        Hub.SlowBody = TimeSpan.FromMilliseconds(30);

        var snapshots = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => DownloadWeights())));

        Assert.Single(Hub.To("/cdn/"));  // the second waited on the lock, then found the blob
        Assert.Equal(snapshots[0].Folder, snapshots[1].Folder);
        Assert.Equal([_blob], Directory.GetFiles(Path.GetDirectoryName(_blob)!));
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(snapshots[1].Folder, "model.safetensors")));
    }

    [Fact]
    public void A_blob_of_the_wrong_size_in_the_cache_is_downloaded_again()
    {
        DownloadWeights();
        File.WriteAllBytes(_blob, _weights[..100]);

        var snapshot = DownloadWeights();

        Assert.Equal(2, Hub.To("/cdn/").Count());
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
    }

    [Fact]
    public void A_file_bigger_than_the_free_space_is_refused_before_downloading()
    {
        Hub.ClaimedSize = 1L << 60;

        var error = Assert.Throws<WalkthroughException>(() => DownloadWeights());

        Assert.Contains("Not enough disk space for model.safetensors of org/tiny: it needs 1073741824.00 GiB more", error.Message);
        Assert.Contains("set HF_HUB_CACHE to a folder on a bigger disk", error.Message);
        Assert.Empty(Hub.To("/cdn/"));
    }

    [LinuxFact]
    public void A_full_disk_is_named_with_the_file()
    {
        // /dev/full answers every write with "no space left on device".
        Directory.CreateDirectory(Path.GetDirectoryName(_blob)!);
        File.CreateSymbolicLink(_blob + ".incomplete", "/dev/full");

        var error = Assert.Throws<WalkthroughException>(() => DownloadWeights());

        Assert.Contains("Not enough disk space for model.safetensors of org/tiny (No space left on device", error.Message);
        Assert.False(File.Exists(_blob));
    }

    /// <summary>Keeps every report, synchronously.</summary>
    private sealed class HubProgressRecorder : IProgress<HubProgress>
    {
        public List<HubProgress> Reports { get; } = [];

        public void Report(HubProgress value) => Reports.Add(value);
    }
}
