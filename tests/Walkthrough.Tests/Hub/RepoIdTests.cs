using Walkthrough.Hub;

namespace Walkthrough.Tests.Hub;

public sealed class RepoIdTests
{
    [Theory]
    [InlineData("mistralai/Mistral-7B-v0.1", "mistralai", "Mistral-7B-v0.1", "main")]
    [InlineData("openai-community/gpt2@v1.0", "openai-community", "gpt2", "v1.0")]
    [InlineData("org/name@refs/pr/1", "org", "name", "refs/pr/1")]
    [InlineData("org/name@0123456789abcdef0123456789abcdef01234567", "org", "name", "0123456789abcdef0123456789abcdef01234567")]
    public void Ids_with_and_without_a_revision_are_read(string text, string owner, string name, string revision)
    {
        var repo = RepoId.Parse(text);

        Assert.Equal((owner, name, revision), (repo.Owner, repo.Name, repo.Revision));
        Assert.Equal($"models--{owner}--{name}", repo.FolderName);
        Assert.Equal(text, repo.ToString());
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("a/b/c")]
    [InlineData("./models")]
    [InlineData("org/-name")]
    [InlineData("org/na--me")]
    [InlineData("org/na..me")]
    [InlineData("org/name@")]
    [InlineData("C:/models")]
    public void Anything_else_is_not_a_hub_id(string text)
    {
        Assert.False(RepoId.TryParse(text, out _));
        Assert.Contains("org/name@revision", Assert.Throws<WalkthroughException>(() => RepoId.Parse(text)).Message);
    }
}
