using System.Text.Json;

namespace Walkthrough.Tests.Repository;

/// <summary>
/// No Docker engine runs where the tests run, so the dev containers are checked for what can be checked: valid JSON,
/// the extensions a lesson needs, and every file and command they name existing in the repository.
/// </summary>
public sealed class DevContainerTests
{
    public static TheoryData<string> Configurations => new(["devcontainer.json", "gpu/devcontainer.json"]);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void A_dev_container_names_only_what_exists(string file)
    {
        var path = Path.Combine(RepoPaths.Root, ".devcontainer", file);
        using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = json.RootElement;

        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);

        var postCreate = root.GetProperty("postCreateCommand").GetString()!;
        Assert.StartsWith("dotnet build ", postCreate);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, postCreate["dotnet build ".Length..].Split(' ')[0])), postCreate);

        if (root.TryGetProperty("build", out var build))
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, build.GetProperty("dockerfile").GetString()!)));
        else
            Assert.Contains("dotnet", root.GetProperty("image").GetString());
    }

    [Fact]
    public void The_gpu_container_asks_for_the_gpus_and_a_cuda_base()
    {
        var folder = Path.Combine(RepoPaths.Root, ".devcontainer", "gpu");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "devcontainer.json")));

        Assert.Equal(["--gpus", "all"], json.RootElement.GetProperty("runArgs").EnumerateArray().Select(e => e.GetString()));
        // The CUDA packages come from building with WalkthroughCuda, which Directory.Build.targets turns into them.
        Assert.EndsWith("-p:WalkthroughCuda=true", json.RootElement.GetProperty("postCreateCommand").GetString());
        Assert.Contains("TorchSharp-cuda-linux", File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.targets")));
        Assert.Matches(@"(?m)^FROM nvidia/cuda:12\.\d+", File.ReadAllText(Path.Combine(folder, "Dockerfile")));
    }
}
