namespace PeerBench.Peers;

/// <summary>One runtime inside a peer process: it reads a prompt at once, then one token at a time with its cache.</summary>
internal interface IPeer : IDisposable
{
    string Detail { get; }

    void SetThreads(int threads);

    /// <summary>Forgets the previous text and reads these ids at once; the logits for the next position.</summary>
    float[] Prefill(IReadOnlyList<int> ids, string mode);

    /// <summary>Appends each id in turn, one forward pass each, through the cache; the last logits.</summary>
    float[] Decode(IReadOnlyList<int> ids, string mode);

    /// <summary>The wall time of the last request's forward passes where the peer times them apart from its other work (the kit's session); else null.</summary>
    double? ForwardSeconds => null;
}
