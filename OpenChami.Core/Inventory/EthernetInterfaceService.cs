using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>NICs (spec/smd.md §8): keyed by MAC, optional component, a list of IP addresses.</summary>
public sealed class EthernetInterfaceService(IChamiStore store)
{
    public EthernetInterface? FindByMac(string mac)
    {
        if (!MacAddress.TryNormalize(mac, out var normalized)) return null;
        return store.Read(s => s.Collection<EthernetInterface>().Get(MacAddress.ToId(normalized)));
    }

    /// <summary>By SMD interface ID (<c>a4bf0138ee65</c>, case-insensitive) or any MAC spelling; null when absent.</summary>
    public EthernetInterface? Find(string idOrMac) => store.Read(s => s.Collection<EthernetInterface>().Get(ResolveId(idOrMac)));

    public EthernetInterface Get(string idOrMac) => Find(idOrMac) ?? throw NotFound(idOrMac);

    public IReadOnlyList<EthernetInterface> OfComponent(string xname) =>
        store.Read(s => OfComponent(s, Xname.Parse(xname)));

    /// <summary>
    /// The component's interfaces by ID (as SMD lists them): an index match comes back in no reliable order, and
    /// "the node's first address" (cloud-init's <c>local_ipv4</c>, the primary MAC) must not change between reads.
    /// </summary>
    internal static IReadOnlyList<EthernetInterface> OfComponent(IStoreSession session, string id) =>
        session.Collection<EthernetInterface>().Find(e => e.ComponentID == id).OrderBy(e => e.ID, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The component owning <paramref name="ip"/> on any of its interfaces (every address of every
    /// interface counts), or null. Index-backed (<c>$.IPAddresses[*].IPAddress</c>); cloud-init identifies nodes by it.
    /// </summary>
    public string? FindComponentByIp(string ip)
    {
        var normalized = System.Net.IPAddress.TryParse(ip, out var address) ? address.ToString() : ip;
        return store.Read(s => FindComponentByIp(s, normalized));
    }

    internal static string? FindComponentByIp(IStoreSession session, string normalizedIp) =>
        session.Collection<EthernetInterface>()
            .Find(e => e.IPAddresses.Select(a => a.IPAddress).Any(a => a == normalizedIp))
            .Where(e => e.ComponentID.Length > 0)
            .Select(e => e.ComponentID)
            .FirstOrDefault();

    public IReadOnlyList<EthernetInterface> All() => store.Read(s => s.Collection<EthernetInterface>().All());

    public IReadOnlyList<EthernetInterface> Query(EthernetInterfaceQuery query) => store.Read(s =>
    {
        var interfaces = s.Collection<EthernetInterface>();
        // One exact component is the common lookup (BSS, cloud-init): use the index.
        var candidates = query.ComponentId.Include is [var componentId] && componentId.Length > 0
            ? interfaces.Find(e => e.ComponentID == componentId)
            : interfaces.All();
        return (IReadOnlyList<EthernetInterface>)candidates.Where(query.Matches).ToList();
    });

    public EthernetInterface Create(EthernetInterface input) => store.Write(s => Create(s, input));

    /// <summary>Normalizes and validates an interface without storing it.</summary>
    public static EthernetInterface Prepare(EthernetInterface input)
    {
        var mac = MacAddress.Normalize(string.IsNullOrEmpty(input.MACAddress) ? input.ID : input.MACAddress);
        var componentId = NormalizeComponentId(input.ComponentID);
        return new EthernetInterface
        {
            ID = MacAddress.ToId(mac),
            MACAddress = mac,
            Description = input.Description ?? string.Empty,
            ComponentID = componentId,
            Type = TypeOf(componentId),
            IPAddresses = NormalizeAddresses(input.IPAddresses),
            LastUpdate = Now(),
        };
    }

    internal static EthernetInterface Create(IStoreSession session, EthernetInterface input)
    {
        var nic = Prepare(input);
        var interfaces = session.Collection<EthernetInterface>();
        var existing = interfaces.Get(nic.ID);
        if (existing is not null)
        {
            var owner = existing.ComponentID.Length > 0 ? $" (assigned to {existing.ComponentID})" : string.Empty;
            throw ChamiException.Conflict("DuplicateMacAddress", $"MAC address {nic.MACAddress} already exists{owner}", nic.MACAddress);
        }
        interfaces.Insert(nic);
        return nic;
    }

    /// <summary>Changes description, component or the whole IP list of one interface; returns it as stored.</summary>
    public EthernetInterface Update(string idOrMac, EthernetInterfacePatch patch)
    {
        if (patch.IsEmpty) throw ChamiException.Invalid("EmptyPatch", "Request must have at least one patch field.", idOrMac);
        var componentId = patch.ComponentID is null ? null : NormalizeComponentId(patch.ComponentID);
        var addresses = patch.IPAddresses is null ? null : NormalizeAddresses(patch.IPAddresses);
        return Change(idOrMac, nic =>
        {
            if (patch.Description is not null) nic.Description = patch.Description;
            if (componentId is not null)
            {
                nic.ComponentID = componentId;
                nic.Type = TypeOf(componentId);
            }
            if (addresses is not null) nic.IPAddresses = addresses;
        });
    }

    /// <summary>Adds one address to an interface; the same address twice is a conflict.</summary>
    public IPAddressMapping AddIPAddress(string idOrMac, IPAddressMapping address)
    {
        var mapping = NormalizeAddresses([address])[0];
        Change(idOrMac, nic =>
        {
            if (nic.IPAddresses.Any(ip => ip.IPAddress == mapping.IPAddress))
            {
                throw ChamiException.Conflict("DuplicateIPAddress",
                    $"{nic.MACAddress} already has IP address {mapping.IPAddress}: operation would conflict with an existing IP Address on the same ethernet interface.", mapping.IPAddress);
            }
            nic.IPAddresses.Add(mapping);
        });
        return mapping;
    }

    /// <summary>Changes the network of one address of an interface.</summary>
    public IPAddressMapping UpdateIPAddress(string idOrMac, string ipAddress, string? network)
    {
        IPAddressMapping? changed = null;
        Change(idOrMac, nic =>
        {
            changed = FindAddress(nic, ipAddress);
            changed.Network = string.IsNullOrEmpty(network) ? null : network;
        });
        return changed!;
    }

    public void RemoveIPAddress(string idOrMac, string ipAddress) =>
        Change(idOrMac, nic => nic.IPAddresses.Remove(FindAddress(nic, ipAddress)));

    public void Delete(string mac) => store.Write(s =>
    {
        var id = ResolveId(mac);
        if (!s.Collection<EthernetInterface>().Delete(id)) throw NotFound(mac);
    });

    /// <summary>Deletes every interface; returns how many.</summary>
    public int DeleteAll() => store.Write(s => s.Collection<EthernetInterface>().DeleteAll());

    private EthernetInterface Change(string idOrMac, Action<EthernetInterface> change) => store.Write(s =>
    {
        var interfaces = s.Collection<EthernetInterface>();
        var nic = interfaces.Get(ResolveId(idOrMac)) ?? throw NotFound(idOrMac);
        change(nic);
        nic.LastUpdate = Now();
        interfaces.Update(nic);
        return nic;
    });

    private static IPAddressMapping FindAddress(EthernetInterface nic, string ipAddress)
    {
        var wanted = TryNormalizeIp(ipAddress);
        return nic.IPAddresses.FirstOrDefault(ip => ip.IPAddress == wanted)
            ?? throw ChamiException.NotFound("IPAddressNotFound", $"{nic.MACAddress} has no IP address {ipAddress}", ipAddress);
    }

    private static string TryNormalizeIp(string ip)
    {
        try
        {
            return MacAddress.NormalizeIp(ip);
        }
        catch (ChamiException)
        {
            return ip;
        }
    }

    /// <summary>Interface IDs are MACs without separators; any MAC spelling finds the same interface.</summary>
    public static string ResolveId(string? idOrMac) =>
        MacAddress.TryNormalize(idOrMac, out var mac) ? MacAddress.ToId(mac) : (idOrMac ?? string.Empty).Trim().ToLowerInvariant();

    private static string NormalizeComponentId(string? componentId) =>
        string.IsNullOrWhiteSpace(componentId) ? string.Empty : Xname.Parse(componentId);

    private static string TypeOf(string componentId) =>
        componentId.Length == 0 ? string.Empty : Xname.GetHmsType(componentId).ToString();

    private static List<IPAddressMapping> NormalizeAddresses(IEnumerable<IPAddressMapping>? addresses) =>
        (addresses ?? []).Select(ip => ip is null
            ? throw ChamiException.Invalid("InvalidIPAddress", "an IP address entry is null")
            : new IPAddressMapping
        {
            IPAddress = MacAddress.NormalizeIp(ip.IPAddress),
            Network = string.IsNullOrEmpty(ip.Network) ? null : ip.Network,
        }).ToList();

    // The store keeps milliseconds; a value that is already rounded reads back identically.
    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    internal static ChamiException NotFound(string? idOrMac) =>
        ChamiException.NotFound("EthernetInterfaceNotFound", $"No such component ethernet interface: {ResolveId(idOrMac)}", idOrMac);
}
