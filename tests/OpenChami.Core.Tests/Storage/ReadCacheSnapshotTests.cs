using System.Text.Json;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

/// <summary>
/// Collections held whole by the read cache (<c>ReadCache.Snapshot</c>: BSON bytes per document, up to
/// <see cref="ReadCache.MaxSnapshotDocuments"/> documents and <see cref="ReadCache.MaxSnapshotBytes"/>): what a
/// snapshot answers is what the file holds, a write through another store is seen by the next read, and past
/// either limit the collection is read from the file instead, as current as before.
/// </summary>
[Trait("Backend", "LiteDbOnly")]
public sealed class ReadCacheSnapshotTests
{
    private static readonly int Enough = 2 * ReadCache.SnapshotAfterMisses;

    private static string NodeId(int i) => $"x{1000 + i / 64}c0s{i % 64}b0n0";

    private static EthernetInterface Nic(int i, DateTime at) => new()
    {
        ID = $"52540000{i:x4}",
        MACAddress = $"52:54:00:00:{i >> 8:x2}:{i & 255:x2}",
        ComponentID = NodeId(i),
        Description = i % 2 == 0 ? "management" : string.Empty,
        Type = "Node",
        LastUpdate = at.AddMilliseconds(i),
        IPAddresses = i % 3 == 0 ? [] : [new() { IPAddress = $"10.0.{i >> 8}.{i & 255}", Network = i % 2 == 0 ? "mgmt" : null }, new() { IPAddress = $"fd00::{i:x}" }],
    };

    private static Component Node(int i, string role) => new()
    {
        ID = NodeId(i), Type = HmsType.Node, State = HmsState.On, Flag = HmsFlag.OK, Enabled = i % 2 == 0, Role = role,
        NID = i % 5 == 0 ? null : i + 1, Arch = i % 2 == 0 ? HmsArch.X86 : null, SubRole = i % 7 == 0 ? "Worker" : null,
    };

    private static void Seed(IChamiStore store, int count, DateTime at) => store.Write(s =>
    {
        s.Collection<Component>().InsertMany(Enumerable.Range(0, count).Select(i => Node(i, "Compute")));
        s.Collection<EthernetInterface>().InsertMany(Enumerable.Range(0, count).Select(i => Nic(i, at)));
        return true;
    });

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    /// <summary>Misses on every document, through <paramref name="store"/>, until it holds both collections whole.</summary>
    private static void ReadEvery(IChamiStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            store.Read(s => s.Collection<Component>().Get(NodeId(i)));
            store.Read(s => s.Collection<EthernetInterface>().Get($"52540000{i:x4}"));
        }
    }

    [Fact]
    public void A_collection_held_whole_answers_every_field_as_the_file_does()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bytes.db");
        using var cached = LiteDbStore.OpenFile(path);
        using var file = LiteDbStore.OpenFile(path, cacheReads: false);
        Seed(file, Enough, new DateTime(2026, 12, 8, 1, 2, 3, DateTimeKind.Utc));

        ReadEvery(cached, Enough);
        Assert.True(cached.Cache.HoldsWhole<Component>());
        Assert.True(cached.Cache.HoldsWhole<EthernetInterface>());

        for (var i = 0; i < Enough; i++)
        {
            var id = NodeId(i);
            var mac = $"52540000{i:x4}";
            Assert.Equal(Json(file.Read(s => s.Collection<Component>().Get(id))), Json(cached.Read(s => s.Collection<Component>().Get(id))));
            var nic = cached.Read(s => s.Collection<EthernetInterface>().Get(mac.ToUpperInvariant())); // ids compare ignoring case, as in LiteDB
            Assert.Equal(Json(file.Read(s => s.Collection<EthernetInterface>().Get(mac))), Json(nic));
            Assert.Equal(DateTimeKind.Utc, nic!.LastUpdate.Kind);
        }
        Assert.Equal(Json(file.Read(s => s.Collection<EthernetInterface>().All())), Json(cached.Read(s => s.Collection<EthernetInterface>().All())));
        Assert.Equal(Json(file.Read(s => s.Collection<EthernetInterface>().Find(e => e.ComponentID == "X1000C0S3B0N0"))),
            Json(cached.Read(s => s.Collection<EthernetInterface>().Find(e => e.ComponentID == "X1000C0S3B0N0"))));
        Assert.Equal(Enough, cached.Read(s => s.Collection<Component>().Count()));
        // Answers are copies: changing one changes nothing another caller gets.
        cached.Read(s => s.Collection<EthernetInterface>().Get("525400000001"))!.IPAddresses.Clear();
        Assert.NotEmpty(cached.Read(s => s.Collection<EthernetInterface>().Get("525400000001"))!.IPAddresses);
    }

    [Fact]
    public void A_write_through_one_store_is_read_through_another_that_holds_the_collection_whole()
    {
        using var temp = new TempDirectory();
        var path = temp.File("follow.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        var at = new DateTime(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc);
        Seed(writer, Enough, at);
        ReadEvery(reader, Enough);
        Assert.True(reader.Cache.HoldsWhole<EthernetInterface>());

        // One NIC moves to another node; one is added; one is removed.
        var moved = Nic(3, at);
        moved.ComponentID = NodeId(40);
        writer.Write(s => s.Collection<EthernetInterface>().Upsert(moved));
        writer.Write(s => { s.Collection<EthernetInterface>().Insert(Nic(Enough + 1, at)); return true; });
        writer.Write(s => s.Collection<EthernetInterface>().Delete("525400000005"));

        Assert.Equal(NodeId(40), reader.Read(s => s.Collection<EthernetInterface>().Get("525400000003"))!.ComponentID);
        Assert.NotNull(reader.Read(s => s.Collection<EthernetInterface>().Get($"52540000{Enough + 1:x4}")));
        Assert.Null(reader.Read(s => s.Collection<EthernetInterface>().Get("525400000005")));
        Assert.Equal(["525400000003", "525400000028"], reader.Read(s => s.Collection<EthernetInterface>().Find(e => e.ComponentID == NodeId(40))).Select(e => e.ID).Order());
        Assert.Empty(reader.Read(s => s.Collection<EthernetInterface>().Find(e => e.ComponentID == NodeId(3))));
        Assert.Equal(Enough, reader.Read(s => s.Collection<EthernetInterface>().Count()));
        // Documents nobody wrote are still answered by the snapshot taken before the writes.
        Assert.True(reader.Cache.HoldsWhole<EthernetInterface>());
        Assert.Equal(Json(writer.Read(s => s.Collection<EthernetInterface>().Get("525400000009"))), Json(reader.Read(s => s.Collection<EthernetInterface>().Get("525400000009"))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Past_a_limit_a_collection_is_not_held_whole_and_reads_stay_current(bool byCount)
    {
        using var temp = new TempDirectory();
        var path = temp.File("limit.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        if (byCount) reader.Cache.SnapshotDocumentLimit = Enough - 1;
        else reader.Cache.SnapshotByteLimit = 100; // less than two documents
        Seed(writer, Enough, DateTime.UnixEpoch);

        ReadEvery(reader, Enough);
        Assert.False(reader.Cache.HoldsWhole<Component>());
        Assert.Equal("Compute", reader.Read(s => s.Collection<Component>().Get(NodeId(1)))!.Role);
        Assert.Equal("Compute", reader.Read(s => s.Collection<Component>().Get(NodeId(1)))!.Role); // remembered per document

        writer.Write(s => s.Collection<Component>().Upsert(Node(1, "Storage")));
        Assert.Equal("Storage", reader.Read(s => s.Collection<Component>().Get(NodeId(1)))!.Role);
        Assert.Equal([NodeId(1)], reader.Read(s => s.Collection<Component>().Find(c => c.Role == "Storage")).Select(c => c.ID));
        Assert.Equal(Enough, reader.Read(s => s.Collection<Component>().All()).Count);
        Assert.False(reader.Cache.HoldsWhole<Component>());
    }

    [Fact]
    public void A_collection_past_the_old_fifty_thousand_document_limit_is_held_whole()
    {
        // A 100,000-node cluster: 100,000 components and 200,000 NICs. Held whole, a cold read by key is a
        // dictionary lookup; before, everything above 50,000 documents went to the file for every first read.
        const int count = 60_000;
        using var store = LiteDbStore.OpenInMemory();
        store.Write(s =>
        {
            s.Collection<GroupMembership>().InsertMany(Enumerable.Range(0, count).Select(i => new GroupMembership { ID = NodeId(i), Labels = ["compute", $"rack{i / 128}"] }));
            return true;
        });
        for (var i = 0; i < Enough; i++) store.Read(s => s.Collection<GroupMembership>().Get(NodeId(i * 997 % count)));
        Assert.True(store.Cache.HoldsWhole<GroupMembership>());
        var last = store.Read(s => s.Collection<GroupMembership>().Get(NodeId(count - 1)));
        Assert.Equal(["compute", $"rack{(count - 1) / 128}"], last!.Labels);
        Assert.Equal(count, store.Read(s => s.Collection<GroupMembership>().Count()));
    }
}
