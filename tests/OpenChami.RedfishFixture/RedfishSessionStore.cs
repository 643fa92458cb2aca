using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OpenChami.RedfishFixture;

/// <summary>Live Redfish sessions of one simulated BMC, looked up by token or by session Id.</summary>
internal sealed class RedfishSessionStore
{
    private readonly ConcurrentDictionary<string, Session> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session> _byId = new(StringComparer.Ordinal);
    private int _nextId;

    public int Count => _byId.Count;

    public IEnumerable<Session> All => _byId.Values.OrderBy(static s => s.Number);

    public Session Create(string userName)
    {
        var number = Interlocked.Increment(ref _nextId);
        var session = new Session(number, number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), userName);
        _byId[session.Id] = session;
        _byToken[session.Token] = session;
        return session;
    }

    public Session? FindByToken(string token) => _byToken.TryGetValue(token, out var s) ? s : null;

    public Session? FindById(string id) => _byId.TryGetValue(id, out var s) ? s : null;

    public bool Delete(string id)
    {
        if (!_byId.TryRemove(id, out var session))
        {
            return false;
        }

        _byToken.TryRemove(session.Token, out _);
        return true;
    }

    public void Clear()
    {
        _byId.Clear();
        _byToken.Clear();
    }

    /// <summary>One login: the token is what clients send back as <c>X-Auth-Token</c>.</summary>
    public sealed record Session(int Number, string Id, string Token, string UserName);
}
