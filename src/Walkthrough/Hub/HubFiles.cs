namespace Walkthrough.Hub;

/// <summary>Which of a repo's files to download: each part of the kit asks only for what it reads.</summary>
[Flags]
public enum HubFiles
{
    /// <summary>config.json: enough for the memory planner.</summary>
    Config = 1,

    /// <summary>tokenizer.json (else tokenizer.model), with tokenizer_config.json and special_tokens_map.json when the repo has them.</summary>
    Tokenizer = 2,

    /// <summary>model.safetensors, or model.safetensors.index.json and its shards.</summary>
    Weights = 4,

    /// <summary>Everything <see cref="Checkpoints.LanguageModel.Load"/> reads.</summary>
    Model = Config | Tokenizer | Weights,
}
