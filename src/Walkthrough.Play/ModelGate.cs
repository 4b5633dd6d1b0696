namespace Walkthrough.Play;

/// <summary>
/// One forward pass at a time, for every learner. The modules hold no per-call state and each session owns its KV
/// cache, but libtorch already spreads one pass over every core: passes side by side only fight over them, and on a
/// GPU they would compete for its memory. So requests queue here, in a bounded line with a bounded wait.
/// </summary>
internal sealed class ModelGate(int maxWaiting, TimeSpan maxWait) : IDisposable
{
    private readonly SemaphoreSlim _model = new(1, 1);
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
            return work();
        }
        finally
        {
            _model.Release();
        }
    }

    public void Dispose() => _model.Dispose();
}
