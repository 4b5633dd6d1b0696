using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Walkthrough.Checkpoints;

namespace Walkthrough.Play;

/// <summary>
/// Every learner's session, found by its id and by nothing else (no listing). At most
/// <see cref="PlaygroundOptions.MaxSessions"/> live at once; idle ones are freed by <see cref="Sweep"/>.
/// </summary>
internal sealed class SessionStore(LanguageModel model, PlaygroundOptions options) : IDisposable
{
    // A page that reloads often must not lock out the others, so a full playground first frees a session idle this long.
    private static readonly TimeSpan EvictableAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, LearnerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();
    private readonly TokenBucketRateLimiter _creations = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 40,
        TokensPerPeriod = 10,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    public int Count => _sessions.Count;

    public LearnerSession Create()
    {
        using var lease = _creations.AttemptAcquire();
        if (!lease.IsAcquired) throw new PlayError(429, "Many pages are opening at once: this one will try again in a moment.");
        lock (_creating)
        {
            if (_sessions.Count >= options.MaxSessions && !EvictLongestIdle())
                throw new PlayError(503,
                    $"The playground already serves {options.MaxSessions} pages, its limit: close a tab you no longer use, " +
                    "or ask the teacher to restart it with a higher --max-sessions.");
            var session = new LearnerSession(NewId(), model, options);
            _sessions[session.Id] = session;
            return session;
        }
    }

    public LearnerSession Get(string id) =>
        _sessions.TryGetValue(id, out var session) && !session.Closed ? session : throw PlayError.SessionGone();

    /// <summary>Frees a session as soon as its current request (or generation) lets go of it.</summary>
    public async Task CloseAsync(string id)
    {
        if (!_sessions.TryRemove(id, out var session)) return;
        await session.Busy.WaitAsync();
        try
        {
            session.Close();
        }
        finally
        {
            session.Busy.Release();
        }
    }

    /// <summary>Frees every session idle past the timeout that no request is using; returns how many.</summary>
    public int Sweep()
    {
        var freed = 0;
        foreach (var session in _sessions.Values)
            if (session.IdleFor > options.IdleTimeout && TryClose(session)) freed++;
        return freed;
    }

    private bool EvictLongestIdle() =>
        _sessions.Values.Where(s => s.IdleFor > EvictableAfter).OrderByDescending(s => s.IdleFor).Any(TryClose);

    private bool TryClose(LearnerSession session)
    {
        if (!session.Busy.Wait(0)) return false;
        try
        {
            _sessions.TryRemove(session.Id, out _);
            session.Close();
            return true;
        }
        finally
        {
            session.Busy.Release();
        }
    }

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Close();
        _sessions.Clear();
        _creations.Dispose();
    }
}
