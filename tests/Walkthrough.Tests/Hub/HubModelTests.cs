using Walkthrough.Checkpoints;
using Walkthrough.Display;
using Walkthrough.Hub;
using Walkthrough.Tests.Architectures;
using Walkthrough.Tokens;
using static TorchSharp.torch;

namespace Walkthrough.Tests.Hub;

/// <summary>The bundled model served by the fake hub: loaded by its id, it is the same model as its folder.</summary>
public sealed class HubModelTests : IDisposable
{
    private const string Id = "walkthrough/walkthrough-tiny";
    private static readonly string Folder = RepoPaths.Data("models", "walkthrough-tiny");
    private readonly HubSandbox _sandbox = new();

    public HubModelTests() => _sandbox.Hub.Add(Id, Directory.GetFiles(Folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes));

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_model_loaded_by_its_hub_id_gives_the_same_logits_as_its_folder()
    {
        var shown = new StringWriter();
        using var fromHub = LanguageModel.Load(Id, new LoadOptions { Device = "cpu", Hub = _sandbox.Settings }, new LoadProgressText(shown));
        using var fromFolder = LanguageModel.Load(Folder, new LoadOptions { Device = "cpu" });

        using var scope = NewDisposeScope();
        var ids = TinyModels.Ids([.. fromFolder.Tokenizer.Encode("Monday, Tuesday,").Select(id => (long)id)]);
        Assert.Equal(0, (fromHub.Module.forward(ids, null) - fromFolder.Module.forward(ids, null)).abs().max().item<float>());
        Assert.Equal("walkthrough-tiny", fromHub.Name);
        Assert.Equal("walkthrough-tiny", fromHub.Tokenizer.Name);
        Assert.Contains("100%  downloading model.safetensors: 16.", shown.ToString());
        Assert.Contains("100%  ", shown.ToString().Split('\n').Last(l => l.Contains(" tensors, ")));
    }

    [Fact]
    public void The_tokenizer_and_the_config_download_only_their_own_files()
    {
        var tokenizer = Tokenizer.Load(Id, _sandbox.Settings);
        var config = ModelConfig.Read(Id, _sandbox.Settings);

        Assert.Equal(Tokenizer.Load(Folder).Encode("Can you write an email?"), tokenizer.Encode("Can you write an email?"));
        Assert.Equal("walkthrough-tiny", tokenizer.Name);
        Assert.Equal(ModelConfig.Read(Folder).ToString(), config.ToString());
        Assert.Empty(_sandbox.Hub.To("model.safetensors"));
    }

    [Fact]
    public void A_model_python_put_in_the_cache_is_used_offline()
    {
        // The layout huggingface_hub writes: blobs named by etag, snapshot links, refs/main.
        const string commit = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd";
        var repo = Path.Combine(_sandbox.Cache, "models--python--tiny");
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", commit));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);
        foreach (var file in new[] { "config.json", "tokenizer.json", "tokenizer_config.json" })
        {
            var etag = FakeHub.Sha256(File.ReadAllBytes(Path.Combine(Folder, file)));
            File.Copy(Path.Combine(Folder, file), Path.Combine(repo, "blobs", etag));
            File.CreateSymbolicLink(Path.Combine(repo, "snapshots", commit, file), $"../../blobs/{etag}");
        }
        var offline = _sandbox.Settings with { Offline = true };

        Assert.Equal(Tokenizer.Load(Folder).Encode("Hello"), Tokenizer.Load("python/tiny", offline).Encode("Hello"));
        Assert.Equal(ModelConfig.Read(Folder).HiddenSize, ModelConfig.Read("python/tiny", offline).HiddenSize);
        Assert.Empty(_sandbox.Hub.Requests);
    }

    [Fact]
    public void A_local_folder_shaped_like_a_hub_id_wins()
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Folder);
        Assert.False(RepoId.IsHubId(relative));
        Assert.True(RepoId.IsHubId("no-such-org/no-such-model"));
        Assert.False(RepoId.IsHubId("data/models/walkthrough-tiny/extra"));
    }
}
