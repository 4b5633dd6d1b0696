using Walkthrough.Hub;
using Walkthrough.Tests.Cli;
using Walkthrough.Tokens;

namespace Walkthrough.Tests.Hub;

/// <summary>The settings read from huggingface_hub's environment variables, and the CLI that relies on them.</summary>
[Collection(EnvironmentVariables.Name)]
public sealed class HubSettingsTests : IDisposable
{
    private const string Token = "hf_secret_from_the_environment";
    private readonly HubSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    // Every variable the settings read, unset unless a test says otherwise.
    private static IDisposable Environment(params (string Name, string? Value)[] set) => EnvironmentVariables.Set(
        [.. new[] { "HF_ENDPOINT", "HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "HF_TOKEN", "HF_TOKEN_PATH", "HF_HUB_OFFLINE" }
            .Where(name => set.All(s => s.Name != name)).Select(name => (name, (string?)null)), .. set]);

    [Fact]
    public void The_variables_huggingface_hub_reads_are_read_in_its_order()
    {
        var home = Path.Combine(_sandbox.Cache, "hf-home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "token"), "  hf_from_the_token_file\n");

        using (Environment(("HF_HOME", home)))
        {
            var settings = HubSettings.FromEnvironment();
            Assert.Equal(Path.Combine(home, "hub"), settings.CacheRoot);
            Assert.Equal("hf_from_the_token_file", settings.Token);
            Assert.Equal(HubSettings.DefaultEndpoint, settings.Endpoint);
            Assert.False(settings.Offline);
        }
        using (Environment(("HF_HUB_CACHE", "/cache"), ("HF_HOME", home), ("HF_TOKEN", Token), ("HF_ENDPOINT", "http://mirror.example/"), ("HF_HUB_OFFLINE", "true")))
        {
            var settings = HubSettings.FromEnvironment();
            Assert.Equal(("/cache", Token, "http://mirror.example/", true), (settings.CacheRoot, settings.Token, settings.Endpoint.AbsoluteUri, settings.Offline));
            Assert.DoesNotContain(Token, settings.ToString());
        }
        using (Environment(("XDG_CACHE_HOME", "/xdg"), ("HF_TOKEN_PATH", Path.Combine(home, "token")), ("HF_HUB_OFFLINE", "1")))
        {
            var settings = HubSettings.FromEnvironment();
            Assert.Equal((Path.Combine("/xdg", "huggingface", "hub"), "hf_from_the_token_file", true), (settings.CacheRoot, settings.Token, settings.Offline));
        }
        using (Environment(("HF_ENDPOINT", "huggingface.co")))
            Assert.Contains("HF_ENDPOINT \"huggingface.co\" is not an http(s) address", Assert.Throws<WalkthroughException>(HubSettings.FromEnvironment).Message);
    }

    [Fact]
    public void The_endpoint_cache_and_token_of_the_environment_reach_the_hub()
    {
        _sandbox.Hub.Add(new FakeRepo("org/gated", HubSandbox.SmallModel()) { GatedFor = Token });
        var tokenFile = Path.Combine(_sandbox.Cache, "token-file");
        File.WriteAllText(tokenFile, Token);

        using (Environment(("HF_ENDPOINT", _sandbox.Hub.Endpoint.AbsoluteUri), ("HF_HUB_CACHE", Path.Combine(_sandbox.Cache, "a")), ("HF_TOKEN", Token)))
            HubSnapshot.Download("org/gated", HubFiles.Config);
        using (Environment(("HF_ENDPOINT", _sandbox.Hub.Endpoint.AbsoluteUri), ("HF_HUB_CACHE", Path.Combine(_sandbox.Cache, "b")), ("HF_TOKEN_PATH", tokenFile)))
            HubSnapshot.Download("org/gated", HubFiles.Config);

        Assert.True(Directory.Exists(Path.Combine(_sandbox.Cache, "a", "models--org--gated")));
        Assert.True(Directory.Exists(Path.Combine(_sandbox.Cache, "b", "models--org--gated")));
        Assert.All(_sandbox.Hub.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
    }

    [Fact]
    public void Cli_commands_take_hub_ids_and_work_offline_from_the_cache()
    {
        var folder = RepoPaths.Data("models", "walkthrough-tiny");
        _sandbox.Hub.Add("walkthrough/walkthrough-tiny", Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes));
        HubSnapshot.Download("walkthrough/walkthrough-tiny", HubFiles.Config | HubFiles.Tokenizer, _sandbox.Settings);

        using var offline = Environment(("HF_HUB_CACHE", _sandbox.Cache), ("HF_HUB_OFFLINE", "1"));
        var plan = CliRunner.Run("plan", "walkthrough/walkthrough-tiny", "--gpu", "24GB", "--dtype", "float32");
        var tokens = CliRunner.Run("tokens", "Hello", "--tokenizer", "walkthrough/walkthrough-tiny", "--json");
        var model = CliRunner.Run("inspect", "--model", "walkthrough/walkthrough-tiny");

        Assert.Equal(0, plan.Code);
        Assert.Contains("walkthrough-tiny", plan.Out);
        Assert.Equal(0, tokens.Code);
        Assert.Contains("\"tokenizer\":\"walkthrough-tiny\"", tokens.Out);
        Assert.Equal(2, model.Code);
        Assert.Contains("walkthrough: Offline (HF_HUB_OFFLINE), and the cache", model.Error);
        Assert.Contains("model.safetensors or model.safetensors.index.json", model.Error);
    }
}
