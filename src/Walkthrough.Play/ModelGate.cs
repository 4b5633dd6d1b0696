using System.Collections.Concurrent;

namespace Walkthrough.Play;

/// <summary>
/// One forward pass at a time, for every learner. The modules hold no per-call state and each session owns its KV
/// cache, but libtorch already spreads one pass over every core: passes side by side only fight over them, and on a
/// GPU they would compete for its memory. So requests queue here, in a bounded line with a bounded wait.
/// A closed session's tensors are freed here too (<see cref="Retire"/>): TorchSharp's dispose bookkeeping is not made
/// for one thread freeing tensors while another runs a pass.
/// </summary>
internal sealed class ModelGate(int maxWaiting, TimeSpan maxWait) : IDisposable
{
    private readonly SemaphoreSlim _model = new(1, 1);
    private readonly ConcurrentQueue<IDisposable> _retired = new();
    private int _waiting;

    /// <summary>Requests waiting for the model now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs work that uses the model (or a session's tensors) once it is this request's turn.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellation)
    {
        var ahead = Interlocked.Increment(ref _waiting);
        try
        {
            if (ahead > maxWaiting)
                throw new PlayError(503, $"The model is busy: {ahead - 1} requests are waiting for it. Try again in a few seconds.");
            if (!await _model.WaitAsync(maxWait, cancellation))
                throw new PlayError(503, $"The model is busy: this request waited {maxWait.TotalSeconds:0.#} s for its turn. Try again in a few seconds.");
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        try
        {
            FreeRetired();
            return work();
        }
        finally
        {
            FreeRetired();
            _model.Release();
        }
    }

    /// <summary>Frees a closed session's tensors now if the model is free, else as the pass running now ends (or the next begins).</summary>
    public void Retire(IDisposable tensors)
    {
        _retired.Enqueue(tensors);
        if (!_model.Wait(0)) return;
        try
        {
            FreeRetired();
        }
        finally
        {
            _model.Release();
        }
    }

    private void FreeRetired()
    {
        while (_retired.TryDequeue(out var tensors)) tensors.Dispose();
    }

    public void Dispose()
    {
        FreeRetired();
        _model.Dispose();
    }
}
