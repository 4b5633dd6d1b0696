using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Walkthrough.Hub;

namespace Walkthrough.Tests.Hub;

/// <summary>Resolving a hub id to a snapshot folder: the cache layout, the protocol, the errors, and offline use.</summary>
public sealed class HubSnapshotTests : IDisposable
{
    private readonly HubSandbox _sandbox = new();

    private FakeHub Hub => _sandbox.Hub;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_download_is_laid_out_as_huggingface_hub_lays_it_out()
    {
        var repo = Hub.Add("org/tiny", HubSandbox.SmallModel());

        var snapshot = HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings);

        var folder = _sandbox.RepoFolder("org/tiny");
        var sha = FakeHub.Sha256(repo.Files["model.safetensors"]);
        Assert.Equal(repo.Commit, File.ReadAllText(Path.Combine(folder, "refs", "main")));
        Assert.Equal(Path.Combine(folder, "snapshots", repo.Commit), snapshot.Folder);
        Assert.Equal(["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"], snapshot.Files);
        var weights = new FileInfo(Path.Combine(snapshot.Folder, "model.safetensors"));
        Assert.Equal($"../../blobs/{sha}", weights.LinkTarget);
        Assert.Equal(repo.Files["model.safetensors"], File.ReadAllBytes(weights.FullName));
        // A small file's blob is named by its git hash, the weak ETag's quotes and W/ taken off.
        var config = repo.Files["config.json"];
        var gitSha = Convert.ToHexString(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {config.Length}\0"), .. config])).ToLowerInvariant();
        Assert.Equal($"../../blobs/{gitSha}", new FileInfo(Path.Combine(snapshot.Folder, "config.json")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(_sandbox.Cache, ".locks", "models--org--tiny", sha + ".lock")));
        Assert.True(File.Exists(Path.Combine(folder, ".no_exist", repo.Commit, "special_tokens_map.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, "blobs"), "*.incomplete"));
    }

    [Fact]
    public void Each_part_of_the_kit_downloads_only_the_files_it_reads()
    {
        Hub.Add("org/tiny", HubSandbox.SmallModel());

        HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings);
        Assert.All(Hub.Requests, r => Assert.EndsWith("/config.json", r.Path));

        HubSnapshot.Download("org/tiny", HubFiles.Tokenizer, _sandbox.Settings);
        Assert.Empty(Hub.To("model.safetensors"));
        Assert.Empty(Hub.To("tokenizer.model"));
        Assert.NotEmpty(Hub.To("special_tokens_map.json"));
    }

    [Fact]
    public void Weights_come_from_the_cdn_and_the_token_stays_with_the_hub()
    {
        Hub.Add(new FakeRepo("org/gated", HubSandbox.SmallModel()) { GatedFor = "hf_secret_token_1234" });

        HubSnapshot.Download("org/gated", HubFiles.Model, _sandbox.Settings with { Token = "hf_secret_token_1234" });

        var resolves = Hub.To("/resolve/").ToList();
        Assert.All(resolves, r => Assert.Equal("Bearer hf_secret_token_1234", r.Authorization));
        Assert.All(resolves, r => Assert.Equal($"127.0.0.1:{Hub.Port}", r.Host));
        var cdn = Assert.Single(Hub.To("/cdn/"));
        Assert.Equal($"localhost:{Hub.Port}", cdn.Host);
        Assert.Null(cdn.Authorization);
        Assert.All(resolves.Where(r => r.Method == "HEAD"), r => Assert.Equal("identity", r.Headers["accept-encoding"]));
    }

    [Fact]
    public void A_renamed_repo_is_followed_to_its_new_name()
    {
        var repo = Hub.Add("org/new-name", HubSandbox.SmallModel());
        Hub.Rename("org/old-name", "org/new-name");

        var snapshot = HubSnapshot.Download("org/old-name", HubFiles.Config, _sandbox.Settings);

        Assert.Equal(repo.Files["config.json"], File.ReadAllBytes(Path.Combine(snapshot.Folder, "config.json")));
        Assert.NotEmpty(Hub.To("/org/new-name/resolve/main/config.json"));
        Assert.StartsWith(_sandbox.RepoFolder("org/old-name"), snapshot.Folder);  // cached under the name asked for, as huggingface_hub does
    }

    [Fact]
    public void A_gated_model_says_where_to_accept_its_licence_and_never_shows_the_token()
    {
        Hub.Add(new FakeRepo("org/gated", HubSandbox.SmallModel()) { GatedFor = "hf_right_token" });

        var anonymous = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/gated", HubFiles.Config, _sandbox.Settings));
        var wrongToken = Assert.Throws<WalkthroughException>(
            () => HubSnapshot.Download("org/gated", HubFiles.Config, _sandbox.Settings with { Token = "hf_wrong_token_5678" }));

        foreach (var error in new[] { anonymous, wrongToken })
        {
            Assert.Contains($"org/gated is a gated model: accept its licence at {Hub.Endpoint.AbsoluteUri}org/gated", error.Message);
            Assert.Contains("set HF_TOKEN or run `huggingface-cli login`", error.Message);
        }
        Assert.Contains("the token given has no access to it yet", wrongToken.Message);
        Assert.DoesNotContain("hf_wrong_token_5678", wrongToken.ToString());
    }

    [Fact]
    public void A_missing_repo_revision_or_file_is_named()
    {
        Hub.Add("org/tiny", new Dictionary<string, byte[]> { ["tokenizer.json"] = "{}"u8.ToArray() });

        var noRepo = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/nothing", HubFiles.Config, _sandbox.Settings));
        var noRevision = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/tiny@v9", HubFiles.Config, _sandbox.Settings));
        var noFile = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings));

        Assert.Contains($"org/nothing was not found on http://127.0.0.1:{Hub.Port}", noRepo.Message);
        Assert.Contains("if it is private, set HF_TOKEN", noRepo.Message);
        Assert.Contains("org/tiny has no revision \"v9\"", noRevision.Message);
        Assert.Contains("org/tiny has no config.json at revision main", noFile.Message);
    }

    [Fact]
    public void Weights_only_in_pickle_format_are_refused_with_the_reason()
    {
        Hub.Add("org/old", new Dictionary<string, byte[]> { ["config.json"] = "{}"u8.ToArray(), ["pytorch_model.bin"] = [1, 2, 3] });

        var error = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/old", HubFiles.Weights, _sandbox.Settings));

        Assert.Contains("org/old has its weights only as pytorch_model.bin", error.Message);
        Assert.Contains("the kit reads safetensors only", error.Message);
        Assert.Empty(Hub.To("/cdn/"));
    }

    [Fact]
    public void Sharded_weights_bring_their_index_and_every_shard()
    {
        var index = """{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}}""";
        Hub.Add("org/big", new Dictionary<string, byte[]>
        {
            ["model.safetensors.index.json"] = Encoding.UTF8.GetBytes(index),
            ["model-00001-of-00002.safetensors"] = HubSandbox.RandomBytes(1000, seed: 1),
            ["model-00002-of-00002.safetensors"] = HubSandbox.RandomBytes(1000, seed: 2),
        });

        var snapshot = HubSnapshot.Download("org/big", HubFiles.Weights, _sandbox.Settings);

        Assert.Equal(["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], snapshot.Files);
        Assert.Equal(HubSandbox.RandomBytes(1000, seed: 2), File.ReadAllBytes(Path.Combine(snapshot.Folder, "model-00002-of-00002.safetensors")));
    }

    [Fact]
    public void A_sentencepiece_tokenizer_is_fetched_when_there_is_no_tokenizer_json_and_that_is_remembered()
    {
        var repo = Hub.Add("org/sp", new Dictionary<string, byte[]> { ["tokenizer.model"] = [9, 9, 9], ["tokenizer_config.json"] = "{}"u8.ToArray() });

        var online = HubSnapshot.Download("org/sp", HubFiles.Tokenizer, _sandbox.Settings);
        var offline = HubSnapshot.Download("org/sp", HubFiles.Tokenizer, _sandbox.Settings with { Offline = true });

        Assert.Equal(["tokenizer.model", "tokenizer_config.json"], online.Files);
        Assert.Equal(online.Folder, offline.Folder);
        Assert.Equal(online.Files, offline.Files);
        Assert.True(File.Exists(Path.Combine(_sandbox.RepoFolder("org/sp"), ".no_exist", repo.Commit, "tokenizer.json")));
    }

    [Fact]
    public void A_cached_branch_costs_one_request_and_a_cached_commit_none()
    {
        var repo = Hub.Add("org/tiny", HubSandbox.SmallModel());
        HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings);
        var before = Hub.Requests.Count;

        HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings);
        Assert.Equal(before + 1, Hub.Requests.Count);  // HEAD config.json: where main is now

        HubSnapshot.Download($"org/tiny@{repo.Commit}", HubFiles.Model, _sandbox.Settings);
        Assert.Equal(before + 1, Hub.Requests.Count);
    }

    [Fact]
    public void Offline_a_cached_snapshot_is_used_without_any_request()
    {
        var repo = Hub.Add("org/tiny", HubSandbox.SmallModel());
        var online = HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings);
        var before = Hub.Requests.Count;

        var offline = HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings with { Offline = true });
        var byCommit = HubSnapshot.Download($"org/tiny@{repo.Commit}", HubFiles.Config, _sandbox.Settings with { Offline = true });

        Assert.Equal(before, Hub.Requests.Count);
        Assert.Equal(online.Folder, offline.Folder);
        Assert.Equal(online.Files, offline.Files);
        Assert.Equal(online.Folder, byCommit.Folder);
    }

    [Fact]
    public void Offline_the_missing_files_are_listed_with_how_to_download_them()
    {
        Hub.Add("org/tiny", HubSandbox.SmallModel());
        HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings);
        var before = Hub.Requests.Count;

        var error = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/tiny", HubFiles.Model, _sandbox.Settings with { Offline = true }));
        var never = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/other@v2", HubFiles.Config, _sandbox.Settings with { Offline = true }));

        Assert.Equal(before, Hub.Requests.Count);
        Assert.Contains("Offline (HF_HUB_OFFLINE)", error.Message);
        Assert.Contains("lacks these files of org/tiny: tokenizer.json or tokenizer.model, model.safetensors or model.safetensors.index.json", error.Message);
        Assert.Contains("`huggingface-cli download org/tiny tokenizer.json model.safetensors`", error.Message);
        Assert.Contains("`huggingface-cli download org/other config.json --revision v2`", never.Message);
    }

    [Fact]
    public void Without_a_connection_the_cached_files_of_the_revision_do()
    {
        Hub.Add("org/tiny", HubSandbox.SmallModel());
        var online = HubSnapshot.Download("org/tiny", HubFiles.Config, _sandbox.Settings);
        var nowhere = _sandbox.Settings with { Endpoint = new Uri($"http://127.0.0.1:{ClosedPort()}") };

        var cached = HubSnapshot.Download("org/tiny", HubFiles.Config, nowhere);
        var error = Assert.Throws<WalkthroughException>(() => HubSnapshot.Download("org/tiny", HubFiles.Tokenizer, nowhere));

        Assert.Equal(online.Folder, cached.Folder);
        Assert.Equal(online.Files, cached.Files);
        Assert.Contains("Could not reach http://127.0.0.1:", error.Message);
        Assert.Contains("set HF_HUB_OFFLINE=1", error.Message);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
