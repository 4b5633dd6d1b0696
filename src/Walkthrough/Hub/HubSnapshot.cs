using Walkthrough.Checkpoints;

namespace Walkthrough.Hub;

/// <summary>
/// A model's files from the Hugging Face Hub at one commit, in the cache Python's huggingface_hub uses too: only the
/// files asked for are downloaded, and only if the cache lacks them.
/// <code>var snapshot = HubSnapshot.Download("mistralai/Mistral-7B-v0.1", HubFiles.Tokenizer);</code>
/// Every place the kit takes a model folder takes a hub id as well: <c>LanguageModel.Load("mistralai/Mistral-7B-v0.1")</c>.
/// </summary>
public sealed record HubSnapshot(RepoId Repo, string Commit, string Folder, IReadOnlyList<string> Files)
{
    /// <summary>
    /// Resolves <paramref name="repoId"/> ("org/name" or "org/name@revision") to a folder holding the files asked for,
    /// downloading what the cache lacks. Settings left out come from the environment (<see cref="HubSettings.FromEnvironment"/>).
    /// </summary>
    public static HubSnapshot Download(string repoId, HubFiles files = HubFiles.Model, HubSettings? settings = null, IProgress<HubProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero((int)files);
        using var fetch = new SnapshotFetch(RepoId.Parse(repoId), settings ?? HubSettings.FromEnvironment(), progress);
        if (files.HasFlag(HubFiles.Config)) fetch.Need("config.json");
        if (files.HasFlag(HubFiles.Tokenizer))
        {
            fetch.Need("tokenizer.json", "tokenizer.model");  // the fast tokenizer, else SentencePiece's model
            fetch.Want("tokenizer_config.json");
            fetch.Want("special_tokens_map.json");
        }
        if (files.HasFlag(HubFiles.Weights)) Weights(fetch);
        return fetch.Finish();
    }

    /// <summary>The snapshot when <paramref name="source"/> is a hub id rather than a local path (<see cref="RepoId.IsHubId"/>); else null.</summary>
    internal static HubSnapshot? IfHubId(string source, HubFiles files, HubSettings? settings, IProgress<HubProgress>? progress = null) =>
        RepoId.IsHubId(source) ? Download(source, files, settings, progress) : null;

    private static void Weights(SnapshotFetch fetch)
    {
        if (fetch.Want("model.safetensors")) return;
        if (fetch.Want(SafetensorsIndex.FileName))
        {
            foreach (var shard in SafetensorsIndex.Read(fetch.PathOf(SafetensorsIndex.FileName)).Shards) fetch.Need(Path.GetFileName(shard));
            return;
        }
        if (fetch.OnHub("pytorch_model.bin") || fetch.OnHub("pytorch_model.bin.index.json"))
            throw new WalkthroughException(
                $"{fetch.Repo} has its weights only as pytorch_model.bin, PyTorch's pickle format, and the kit reads safetensors only: " +
                "choose a repo (or revision) that has model.safetensors.");
        fetch.Lacks("model.safetensors", SafetensorsIndex.FileName);
    }

    public override string ToString() => $"{Repo} at {Commit[..Math.Min(7, Commit.Length)]}: {string.Join(", ", Files)} in {Folder}";
}
