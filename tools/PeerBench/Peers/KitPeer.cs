using Walkthrough.Architectures;
using Walkthrough.Checkpoints;
using Walkthrough.Inference;

namespace PeerBench.Peers;

/// <summary>
/// The kit, two ways: "forward" is the model's forward pass with the KV cache and nothing else (LanguageModel.NextLogits);
/// "session" is what lessons, the CLI and the playground call (NextTokenSession: a prefill, then a step per token with
/// its softmax, penalty, entropy, ranking and cut marks).
/// </summary>
internal sealed class KitPeer(LanguageModel model) : IPeer
{
    private KvCache? _cache;
    private NextTokenSession? _session;

    public string Detail => $"{model} (TorchSharp, libtorch {TorchSharp.torch.__version__}{Mkl})";

    private static string Mkl => Walkthrough.Native.TorchRuntime.Describe().Mkl is { } path ? $"; {path}" : "";

    public static KitPeer Load(string folder, string dtype) => new(LanguageModel.Load(folder, new LoadOptions { Device = "cpu", Dtype = dtype }));

    public void SetThreads(int threads) => TorchSharp.torch.set_num_threads(threads);

    public float[] Prefill(IReadOnlyList<int> ids, string mode)
    {
        Reset();
        if (mode == "session")
        {
            _session = new NextTokenSession(model, ids, SamplingOptions.Greedy, useCache: true, candidates: 10);
            return _session.LogitsForNext();
        }
        _cache = new KvCache(model.Config.Layers, model.ContextLength);
        return model.NextLogits(ids, _cache);
    }

    public double? ForwardSeconds { get; private set; }

    public float[] Decode(IReadOnlyList<int> ids, string mode)
    {
        ForwardSeconds = null;
        if (mode == "session")
        {
            var session = _session ?? throw new InvalidOperationException("decode before prefill");
            var before = session.Steps.Count;
            foreach (var id in ids) session.Force(id);
            // Each step keeps the time of the pass that gave its logits: the first forced step's came before this request,
            // and the last pass's is no step's yet, so n − 1 of the n passes are timed; scaled to n.
            if (ids.Count > 1)
                ForwardSeconds = session.Steps.Skip(before + 1).Sum(s => s.Elapsed.TotalSeconds) * ids.Count / (ids.Count - 1);
            return session.LogitsForNext();
        }
        var cache = _cache ?? throw new InvalidOperationException("decode before prefill");
        var logits = Array.Empty<float>();
        foreach (var id in ids) logits = model.NextLogits([id], cache);
        return logits;
    }

    private void Reset()
    {
        _cache?.Dispose();
        _session?.Dispose();
        (_cache, _session) = (null, null);
    }

    public void Dispose()
    {
        Reset();
        model.Dispose();
    }
}
