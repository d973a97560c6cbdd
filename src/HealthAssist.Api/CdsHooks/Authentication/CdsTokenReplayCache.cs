using System.Collections.Concurrent;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// Remembers each accepted token id (<c>jti</c>) per issuer until the token expires, so a token is accepted once only.
/// In memory and per process: API instances behind a load balancer each keep their own, so scaling out needs a shared store.
/// Thread-safe; expired entries are pruned as tokens arrive, at most once per <see cref="PruneInterval"/>.
/// Only tokens that passed every other check are recorded, so a forger cannot fill it or burn a client's ids.
/// </summary>
public sealed class CdsTokenReplayCache(TimeProvider time)
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Issuer, string TokenId), DateTimeOffset> _seen = new();
    private long _nextPruneTicks;

    /// <summary>Entries currently held (expired ones included until the next prune).</summary>
    public int Count => _seen.Count;

    /// <summary>
    /// Records (<paramref name="issuer"/>, <paramref name="tokenId"/>) until <paramref name="forgetAfter"/>; false when the
    /// pair is already recorded and not yet forgotten, i.e. a replay.
    /// </summary>
    public bool TryRecord(string issuer, string tokenId, DateTimeOffset forgetAfter)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(tokenId);
        var now = time.GetUtcNow();
        PruneIfDue(now);

        var key = (issuer, tokenId);
        while (true)
        {
            if (_seen.TryAdd(key, forgetAfter))
            {
                return true;
            }

            if (!_seen.TryGetValue(key, out var existing))
            {
                continue; // pruned meanwhile; try to add again
            }

            if (existing > now)
            {
                return false;
            }

            if (_seen.TryUpdate(key, forgetAfter, existing))
            {
                return true; // the earlier token has expired; the id may be reused
            }
        }
    }

    /// <summary>Drops every entry whose time has passed.</summary>
    public void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var entry in _seen)
        {
            if (entry.Value <= now)
            {
                _seen.TryRemove(entry); // removes only if the value is unchanged
            }
        }
    }

    private void PruneIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneInterval).UtcTicks, due) != due)
        {
            return;
        }

        Prune();
    }
}
