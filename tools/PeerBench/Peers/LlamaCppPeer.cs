using LLama;
using LLama.Common;
using LLama.Native;

namespace PeerBench.Peers;

/// <summary>
/// llama.cpp through LLamaSharp (its CPU build from NuGet) on the GGUF the kit wrote from the same safetensors:
/// weights in the file's type, the KV cache in float32, one sequence, logits read back for the last position.
/// </summary>
internal sealed class LlamaCppPeer : IPeer
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();
    private int _position;

    private LlamaCppPeer(string gguf, int contextLength)
    {
        if (!NativeLibraryConfig.LLama.LibraryHasLoaded) // llama.cpp's progress chatter off; errors still show
            NativeLibraryConfig.All.WithLogCallback((level, message) =>
            {
                if (level == LLamaLogLevel.Error) Console.Error.Write(message);
            });
        var parameters = new ModelParams(gguf)
        {
            ContextSize = (uint)contextLength,
            BatchSize = (uint)contextLength,
            UBatchSize = (uint)contextLength,
            GpuLayerCount = 0,
            Threads = 1,
            BatchThreads = 1,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
        Detail = $"llama.cpp via LLamaSharp 0.30.0 ({Path.GetFileName(gguf)}, KV cache f32)";
    }

    public string Detail { get; }

    public static LlamaCppPeer Load(string gguf, int contextLength) => new(gguf, contextLength);

    public void SetThreads(int threads)
    {
        _context.NativeHandle.GenerationThreads = threads;
        _context.NativeHandle.BatchThreads = threads;
    }

    public float[] Prefill(IReadOnlyList<int> ids, string mode)
    {
        _context.NativeHandle.MemoryClear(true);
        _batch.Clear();
        for (var i = 0; i < ids.Count; i++) _batch.Add(ids[i], i, LLamaSeqId.Zero, logits: i == ids.Count - 1);
        _position = ids.Count;
        return Run();
    }

    public float[] Decode(IReadOnlyList<int> ids, string mode)
    {
        var logits = Array.Empty<float>();
        foreach (var id in ids)
        {
            _batch.Clear();
            _batch.Add(id, _position++, LLamaSeqId.Zero, logits: true);
            logits = Run();
        }
        return logits;
    }

    private float[] Run()
    {
        var result = _context.NativeHandle.Decode(_batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode: {result}");
        return _context.NativeHandle.GetLogitsIth(_batch.TokenCount - 1).ToArray();
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
