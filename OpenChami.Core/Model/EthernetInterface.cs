using System.Text.Json.Serialization;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Model;

/// <summary>A NIC known to SMD (spec/smd.md §3.4). ID is the MAC without separators.</summary>
public sealed class EthernetInterface
{
    public string ID { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string MACAddress { get; set; } = string.Empty;

    [JsonConverter(typeof(Rfc3339MicrosecondsConverter))]
    public DateTime LastUpdate { get; set; }

    public string ComponentID { get; set; } = string.Empty;

    /// <summary>HMS type of <see cref="ComponentID"/>, or empty.</summary>
    public string Type { get; set; } = string.Empty;

    public List<IPAddressMapping> IPAddresses { get; set; } = [];

    public override string ToString() => MACAddress;
}

/// <summary>One address of an interface; Network is omitted when empty.</summary>
public sealed class IPAddressMapping
{
    public string IPAddress { get; set; } = string.Empty;

    public string? Network { get; set; }

    public override string ToString() => Network is null ? IPAddress : $"{IPAddress} ({Network})";
}
