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

    public IReadOnlyList<EthernetInterface> OfComponent(string xname) =>
        store.Read(s => OfComponent(s, Xname.Parse(xname)));

    internal static IReadOnlyList<EthernetInterface> OfComponent(IStoreSession session, string id) =>
        session.Collection<EthernetInterface>().Find(e => e.ComponentID == id);

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

    public EthernetInterface Create(EthernetInterface input) => store.Write(s => Create(s, input));

    /// <summary>Normalizes and validates an interface without storing it.</summary>
    public static EthernetInterface Prepare(EthernetInterface input)
    {
        var mac = MacAddress.Normalize(string.IsNullOrEmpty(input.MACAddress) ? input.ID : input.MACAddress);
        var componentId = string.IsNullOrWhiteSpace(input.ComponentID) ? string.Empty : Xname.Parse(input.ComponentID);
        return new EthernetInterface
        {
            ID = MacAddress.ToId(mac),
            MACAddress = mac,
            Description = input.Description ?? string.Empty,
            ComponentID = componentId,
            Type = componentId.Length == 0 ? string.Empty : Xname.GetHmsType(componentId).ToString(),
            IPAddresses = (input.IPAddresses ?? []).Select(ip => new IPAddressMapping
            {
                IPAddress = MacAddress.NormalizeIp(ip.IPAddress),
                Network = string.IsNullOrEmpty(ip.Network) ? null : ip.Network,
            }).ToList(),
            LastUpdate = DateTime.UtcNow,
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

    public void Delete(string mac) => store.Write(s =>
    {
        var normalized = MacAddress.Normalize(mac);
        if (!s.Collection<EthernetInterface>().Delete(MacAddress.ToId(normalized)))
        {
            throw ChamiException.NotFound("EthernetInterfaceNotFound", $"No such component ethernet interface: {MacAddress.ToId(normalized)}", normalized);
        }
    });
}
