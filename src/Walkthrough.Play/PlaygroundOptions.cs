using System.Net;
using Walkthrough.Checkpoints;
using Walkthrough.Display;
using static TorchSharp.torch;

namespace Walkthrough.Play;

/// <summary>
/// Where the playground listens and how much one learner's page may hold. Every limit is there so that one model in
/// memory can serve a room of browsers: sessions, tokens and requests are bounded, and idle sessions are freed.
/// </summary>
public sealed record PlaygroundOptions
{
    /// <summary>127.0.0.1 (this machine only) unless the teacher shares it, e.g. 0.0.0.0 on a workshop network.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks any free port.</summary>
    public int Port { get; init; } = 5050;

    /// <summary>Learners' pages served at once; a new page beyond it first frees the longest-idle session.</summary>
    public int MaxSessions { get; init; } = 40;

    /// <summary>Tokens of one session's text, prompt and continuation together (at most the model's context).</summary>
    public int MaxTokens { get; init; } = 1024;

    /// <summary>Tokens one session may add after its prompt: each step keeps its logits and probabilities for undo.</summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>A session unused this long is freed (its page then starts a new one).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests one page may make per second (typing, steps), with twice as many in a burst.</summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Model requests (prefill, step, force, undo) that may wait for the model at once, and for how long.</summary>
    public int MaxWaiting { get; init; } = 128;

    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(30);

    // The Fetch standard's "bad ports": Chromium, Firefox and Safari will not load a page from them.
    private static readonly HashSet<int> BrowserBlockedPorts =
    [
        1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113,
        115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556,
        563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
        6668, 6669, 6679, 6697, 10080,
    ];

    /// <summary>Candidates whose text is sent with each step: the page draws the top ones as bars.</summary>
    public int Candidates { get; init; } = 40;

    /// <summary>Rejects values that would make the server unsafe or useless, naming the value and the valid range.</summary>
    public PlaygroundOptions Validated()
    {
        if (!IPAddress.TryParse(Host, out _) && Host != "localhost")
            throw new WalkthroughException($"--host {Host} is not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface).");
        if (Port is < 0 or > 65535) throw new WalkthroughException($"--port {Port} is outside 0..65535: use e.g. 5050, or 0 for any free port.");
        if (BrowserBlockedPorts.Contains(Port))
            throw new WalkthroughException($"--port {Port} is one that browsers refuse to open (it belongs to another protocol): use e.g. 5050, or 0 for any free port.");
        if (MaxSessions is < 1 or > 10_000) throw new WalkthroughException($"--max-sessions {MaxSessions} is outside 1..10000.");
        if (MaxTokens < 2) throw new WalkthroughException($"--max-tokens {MaxTokens}: a session needs room for at least 2 tokens.");
        if (MaxNewTokens < 1) throw new WalkthroughException($"--max-new-tokens {MaxNewTokens}: allow at least 1.");
        if (IdleTimeout <= TimeSpan.Zero) throw new WalkthroughException($"--idle-minutes {IdleTimeout.TotalMinutes}: use a positive number of minutes.");
        if (RequestsPerSecond < 1 || MaxWaiting < 1 || MaxWait <= TimeSpan.Zero || Candidates < 1)
            throw new WalkthroughException("Requests per second, waiting requests, the wait and the candidates must all be positive.");
        return this;
    }

    /// <summary>Whether only this machine can reach the playground.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>Tokens one session may hold with this model: the limit, or the model's context when that is smaller.</summary>
    public int TokensFor(LanguageModel model) => Math.Min(MaxTokens, model.ContextLength);

    /// <summary>The most memory one session can hold with this model: its KV cache full, and every new step's scores.</summary>
    public SessionMemory MemoryFor(LanguageModel model)
    {
        var config = model.Config;
        var element = model.Dtype == ScalarType.Float32 ? 4 : 2;
        long kvPerToken = 2L * config.Layers * config.KeyValueHeads * config.HeadDim * element; // keys and values, every layer
        long perStep = model.Tokenizer.VocabularySize * (sizeof(float) + sizeof(double));     // a step's logits and probabilities
        return new SessionMemory(TokensFor(model) * kvPerToken, Math.Min(MaxNewTokens, TokensFor(model) - 1) * perStep);
    }
}

/// <summary>A session's worst case: its KV cache (on the model's device) and its steps' scores (in the process's memory).</summary>
public sealed record SessionMemory(long KvCacheBytes, long StepBytes)
{
    public long TotalBytes => KvCacheBytes + StepBytes;

    public override string ToString() =>
        $"{Units.Bytes(TotalBytes)} (KV cache {Units.Bytes(KvCacheBytes)}, the steps' scores {Units.Bytes(StepBytes)})";
}
