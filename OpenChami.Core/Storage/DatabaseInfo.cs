using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Storage;

/// <summary>What Get-ChamiDatabase shows about a store.</summary>
public sealed class DatabaseInfo
{
    public required string Path { get; init; }

    public bool InMemory { get; init; }

    public required string Backend { get; init; }

    public int SchemaVersion { get; init; }

    public int Components { get; init; }

    public int Nodes { get; init; }

    public int EthernetInterfaces { get; init; }

    public int Groups { get; init; }

    public static DatabaseInfo Of(IChamiStore store) => store.Read(s => new DatabaseInfo
    {
        Path = store.Location,
        InMemory = store.IsInMemory,
        Backend = store.BackendName,
        SchemaVersion = store.SchemaVersion,
        Components = s.Collection<Component>().Count(),
        Nodes = s.Collection<Component>().Find(c => c.Type == HmsType.Node).Count,
        EthernetInterfaces = s.Collection<EthernetInterface>().Count(),
        Groups = s.Collection<Group>().Count(),
    });

    public override string ToString() => Path;
}
