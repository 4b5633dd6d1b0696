using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Walkthrough.Hub;

/// <summary>
/// A model on the Hugging Face Hub: <c>mistralai/Mistral-7B-v0.1</c>, optionally at a revision — a branch, a tag or a
/// 40-hex commit — written <c>org/name@revision</c>. <code>var repo = RepoId.Parse("mistralai/Mistral-7B-v0.1@main");</code>
/// </summary>
public sealed partial record RepoId(string Owner, string Name, string Revision = RepoId.DefaultRevision)
{
    public const string DefaultRevision = "main";

    /// <summary>"org/name", as the hub's addresses spell it.</summary>
    public string Id => $"{Owner}/{Name}";

    /// <summary>The repo's folder in the cache, as huggingface_hub names it: models--ORG--NAME.</summary>
    internal string FolderName => $"models--{Owner}--{Name}";

    public static RepoId Parse(string text) => TryParse(text, out var repo) ? repo : throw new WalkthroughException(
        $"\"{text}\" is not a Hugging Face model id: write it as org/name or org/name@revision, e.g. mistralai/Mistral-7B-v0.1.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out RepoId? repo)
    {
        var match = Shape().Match(text ?? "");
        var (owner, name) = (match.Groups["owner"].Value, match.Groups["name"].Value);
        // huggingface_hub refuses "--" and ".." in ids: "--" would make the cache folder's name ambiguous.
        repo = match.Success && !$"{owner}/{name}".Contains("--") && !$"{owner}/{name}".Contains("..")
            ? new RepoId(owner, name, match.Groups["revision"].Success ? match.Groups["revision"].Value : DefaultRevision)
            : null;
        return repo is not null;
    }

    /// <summary>
    /// The rule wherever the kit takes a model folder or file: a path that exists wins; otherwise something shaped like
    /// org/name or org/name@revision is a hub id.
    /// </summary>
    public static bool IsHubId(string source) => !File.Exists(source) && !Directory.Exists(source) && TryParse(source, out _);

    internal static bool IsCommitHash(string revision) => CommitHash().IsMatch(revision);

    public override string ToString() => Revision == DefaultRevision ? Id : $"{Id}@{Revision}";

    // A name part starts and ends with a letter, digit or underscore, as huggingface_hub's validate_repo_id wants.
    [GeneratedRegex(@"^(?<owner>\w(?:[\w.-]{0,94}\w)?)/(?<name>\w(?:[\w.-]{0,94}\w)?)(?:@(?<revision>[^\s@]+))?$", RegexOptions.ECMAScript)]
    private static partial Regex Shape();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
