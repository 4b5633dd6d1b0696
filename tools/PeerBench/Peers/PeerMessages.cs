using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerBench.Peers;

/// <summary>
/// What the coordinator and a peer process say to each other, one JSON object a line: the peer announces itself once
/// loaded, then answers each request with the time it took and the logits it ended on. Python's side of the same
/// protocol is mistral_eager.py.
/// </summary>
internal sealed record PeerRequest
{
    /// <summary>"prefill" (a new text: the cache emptied, the prompt read at once), "decode" (one token at a time after it), "quit".</summary>
    public required string Op { get; init; }

    public int[] Ids { get; init; } = [];

    public int Threads { get; init; } = 1;

    /// <summary>The kit only: "forward" (the model's forward pass alone) or "session" (NextTokenSession, bookkeeping included).</summary>
    public string Mode { get; init; } = "forward";
}

internal sealed record PeerReady(string Peer, string Detail, double LoadSeconds);

internal sealed record PeerAnswer
{
    public double WallSeconds { get; init; }
    public double ThreadCpuSeconds { get; init; }
    public double ProcessCpuSeconds { get; init; }

    /// <summary>The kit's session only: the wall time of the forward passes inside this request, as its steps timed them.</summary>
    public double? ForwardWallSeconds { get; init; }

    /// <summary>The logits for the position after the last id, float32 little-endian, base64.</summary>
    public string Logits { get; init; } = "";

    public string? Error { get; init; }

    public float[] LogitValues() => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(Logits)).ToArray();

    public static PeerAnswer From(Measured measured, ReadOnlySpan<float> logits) => new()
    {
        WallSeconds = measured.WallSeconds,
        ThreadCpuSeconds = measured.ThreadCpuSeconds,
        ProcessCpuSeconds = measured.ProcessCpuSeconds,
        Logits = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(logits)),
    };
}

internal static class PeerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
