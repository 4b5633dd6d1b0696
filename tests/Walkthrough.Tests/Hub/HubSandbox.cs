using System.Text;
using Walkthrough.Hub;

namespace Walkthrough.Tests.Hub;

/// <summary>A fake hub and an empty cache folder of one test's own, with the settings that join them.</summary>
internal sealed class HubSandbox : IDisposable
{
    public FakeHub Hub { get; } = new();

    public string Cache { get; } = Directory.CreateTempSubdirectory("walkthrough-hub-").FullName;

    public HubSettings Settings => new() { Endpoint = Hub.Endpoint, CacheRoot = Cache };

    public string RepoFolder(string id) => Path.Combine(Cache, "models--" + id.Replace("/", "--"));

    /// <summary>A small model's files: JSON configs and 3 MB of "weights", enough to cut midway.</summary>
    public static Dictionary<string, byte[]> SmallModel() => new()
    {
        ["config.json"] = Encoding.UTF8.GetBytes("""{"model_type": "mistral"}"""),
        ["tokenizer.json"] = Encoding.UTF8.GetBytes("""{"model": {}}"""),
        ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("""{"bos_token": "<s>"}"""),
        ["model.safetensors"] = RandomBytes(3 << 20),
    };

    public static byte[] RandomBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Hub.Dispose();
        Directory.Delete(Cache, recursive: true);
    }
}
