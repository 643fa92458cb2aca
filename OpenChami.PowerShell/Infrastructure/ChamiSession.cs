using OpenChami.Core;
using OpenChami.Core.Storage;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// The database the cmdlets of this process work on. Process-wide, like the store registry:
/// every runspace (jobs, -Parallel) sees the same connection. Opened lazily on the default path.
/// </summary>
public static class ChamiSession
{
    private static readonly object Gate = new();
    private static ChamiServices? current;

    /// <summary>The current services, connecting to the default database on first use.</summary>
    public static ChamiServices Current
    {
        get
        {
            lock (Gate)
            {
                return current ??= new ChamiServices(StoreRegistry.Acquire(StoreRegistry.DefaultPath));
            }
        }
    }

    public static ChamiServices? CurrentOrNull
    {
        get
        {
            lock (Gate) return current;
        }
    }

    /// <summary>Makes <paramref name="store"/> current, releasing the previous connection.</summary>
    public static ChamiServices Connect(IChamiStore store)
    {
        lock (Gate)
        {
            var previous = current;
            current = new ChamiServices(store);
            if (previous is not null) StoreRegistry.Release(previous.Store);
            return current;
        }
    }

    /// <summary>
    /// Makes <paramref name="services"/> (already holding a reference of its own, e.g. a server's) current, so
    /// the session and that server are one set of services over one store; releases the previous connection.
    /// </summary>
    public static ChamiServices Follow(ChamiServices services)
    {
        lock (Gate)
        {
            var previous = current;
            if (ReferenceEquals(previous, services)) return services;
            current = services;
            if (previous is not null) StoreRegistry.Release(previous.Store);
            return current;
        }
    }

    public static bool Disconnect()
    {
        lock (Gate)
        {
            if (current is null) return false;
            StoreRegistry.Release(current.Store);
            current = null;
            return true;
        }
    }
}
