namespace Walkthrough.Hub;

/// <summary>
/// Where models come from and where they are kept: the hub's address, the cache folder, the token, and whether to stay
/// offline. <see cref="FromEnvironment"/> reads the variables Python's huggingface_hub reads, so both share one cache.
/// <code>var settings = HubSettings.FromEnvironment() with { Offline = true };</code>
/// </summary>
public sealed record HubSettings
{
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>The hub or a mirror of it (HF_ENDPOINT).</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>The folder holding one models--ORG--NAME folder per repo (HF_HUB_CACHE).</summary>
    public required string CacheRoot { get; init; }

    /// <summary>Sent to the hub as a bearer token for gated and private models (HF_TOKEN, or the token file); never shown.</summary>
    public string? Token { get; init; }

    /// <summary>Use the cache only and make no request (HF_HUB_OFFLINE=1).</summary>
    public bool Offline { get; init; }

    /// <summary>
    /// HF_ENDPOINT (default https://huggingface.co); HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub;
    /// HF_TOKEN, else the token file <c>huggingface-cli login</c> writes; HF_HUB_OFFLINE (1, true, yes, on).
    /// </summary>
    public static HubSettings FromEnvironment() => new()
    {
        Endpoint = Variable("HF_ENDPOINT") is { } endpoint ? ParseEndpoint(endpoint) : DefaultEndpoint,
        CacheRoot = CacheRootFromEnvironment(),
        Token = Variable("HF_TOKEN") ?? ReadToken(TokenFileFromEnvironment()),
        Offline = Variable("HF_HUB_OFFLINE")?.ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON",
    };

    /// <summary>The cache folder the environment names; <see cref="Doctor"/> shows it too.</summary>
    internal static string CacheRootFromEnvironment() => PathVariable("HF_HUB_CACHE") ?? Path.Combine(Home(), "hub");

    /// <summary>Where <c>huggingface-cli login</c> keeps the token: HF_TOKEN_PATH, else $HF_HOME/token.</summary>
    internal static string TokenFileFromEnvironment() => PathVariable("HF_TOKEN_PATH") ?? Path.Combine(Home(), "token");

    // HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface — huggingface_hub's order.
    private static string Home() => PathVariable("HF_HOME") ?? Path.Combine(
        PathVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "huggingface");

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    // Paths in these variables may start with ~, as Python's expanduser allows.
    private static string? PathVariable(string name) => Variable(name) is { } path && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
        : Variable(name);

    private static string? ReadToken(string file) => File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } token ? token : null;

    private static Uri ParseEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
            : throw new WalkthroughException($"HF_ENDPOINT \"{endpoint}\" is not an http(s) address: set it to https://huggingface.co or a mirror's address, or unset it.");

    // The token stays out of every printed form of the settings.
    public override string ToString() =>
        $"{Endpoint} → {CacheRoot}{(Offline ? " (offline)" : "")}, {(Token is null ? "no token" : "token set")}";
}
