using System.Text.Json.Nodes;
using LiteDB;
using OpenChami.Core.Audit;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

public sealed class GroupMembershipIndexTests
{
    // The truth the index must always agree with: the member documents.
    private static Dictionary<string, List<string>> FromMembers(IChamiStore store) => store.Read(s =>
        s.Collection<GroupMember>().All()
            .GroupBy(m => m.Member)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Label).Order(StringComparer.Ordinal).ToList()));

    private static Dictionary<string, List<string>> FromIndex(IChamiStore store) => store.Read(s =>
        s.Collection<GroupMembership>().All().ToDictionary(m => m.ID, m => m.Labels));

    [Fact]
    public void The_index_follows_every_kind_of_group_change()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        for (var n = 0; n < 6; n++) services.Nodes.Create(new NewNodeRequest { Xname = $"x1c0s{n}b0n0", Group = n < 4 ? ["compute"] : ["login"] });
        services.Groups.Create(new Group { Label = "slurm", Members = new MemberList { Ids = ["x1c0s0b0n0", "x1c0s1b0n0"] } });
        services.Groups.AddMember("login", "x1c0s0b0n0");
        services.Groups.RemoveMember("compute", "x1c0s1b0n0");
        services.Nodes.Remove("x1c0s2b0n0");                       // cascades out of every group
        services.Groups.Delete("slurm");
        services.Groups.ReplaceMembers("login", ["x1c0s4b0n0", "x1c0s3b0n0"]);
        Assert.Throws<Errors.ChamiException>(() => store.Write(s =>
        {
            GroupService.AddMember(s, "login", "x1c0s0b0n0");
            throw Errors.ChamiException.Invalid("Boom", "rolled back");   // the index rolls back with the member
        }));

        Assert.Equal(FromMembers(store), FromIndex(store));
        Assert.Equal(["compute"], services.Groups.LabelsOf("x1c0s0b0n0"));
        Assert.Empty(services.Groups.LabelsOf("x1c0s1b0n0"));
        Assert.Empty(services.Groups.LabelsOf("x1c0s2b0n0"));
        Assert.Equal(["compute", "login"], services.Groups.LabelsOf("x1c0s3b0n0"));
        Assert.Equal(["x1c0s4b0n0", "x1c0s3b0n0"], services.Groups.Get("login").Members.Ids);
        Assert.Empty(store.Read(s => s.Collection<GroupMember>().Find(m => m.Label == "slurm")));
    }

    [Fact]
    public void Partition_members_follow_their_components_and_their_partition()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        for (var n = 0; n < 3; n++) services.Nodes.Create(new NewNodeRequest { Xname = $"x1c0s{n}b0n0" });
        services.Partitions.Create(new Partition { Name = "p1", Members = new MemberList { Ids = ["x1c0s2b0n0", "x1c0s0b0n0"] } });
        services.Partitions.Create(new Partition { Name = "p2" });
        Assert.Equal("PartitionMemberConflict", Assert.Throws<Errors.ChamiException>(() => services.Partitions.AddMember("p2", "x1c0s0b0n0")).ErrorId);
        Assert.Equal("MemberNotFound", Assert.Throws<Errors.ChamiException>(() => services.Partitions.RemoveMember("p2", "x1c0s0b0n0")).ErrorId);
        services.Partitions.AddMember("p2", "x1c0s1b0n0");
        Assert.Equal(["x1c0s2b0n0", "x1c0s0b0n0"], services.Partitions.Get("p1").Members.Ids);

        services.Nodes.Remove("x1c0s2b0n0");
        Assert.Equal(["x1c0s0b0n0"], services.Partitions.Get("p1").Members.Ids);
        services.Partitions.Delete("p1");
        Assert.Equal(string.Empty, services.Memberships.Get("x1c0s0b0n0").PartitionName);
        Assert.Equal("p2", services.Memberships.Get("x1c0s1b0n0").PartitionName);
        services.Partitions.AddMember("p2", "x1c0s0b0n0");   // free again
        Assert.Equal(["x1c0s1b0n0", "x1c0s0b0n0"], services.Partitions.Get("p2").Members.Ids);
        Assert.Equal(["x1c0s0b0n0", "x1c0s1b0n0"], store.Read(s => s.Collection<PartitionMember>().All()).Select(m => m.ID).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_member_change_writes_and_journals_one_small_document_whatever_the_group_size()
    {
        const int Size = 10_000;
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        // Every xname the same length, so entry sizes can be compared exactly.
        string XnameOf(int i) => $"x{1000 + i / 4096}c{i / 512 % 8}s{10 + i / 8 % 64}b0n{i % 8}";
        int Journaled() => store.Read(s => s.Collection<AuditEntry>().Count());
        store.Write(s => s.Collection<Component>().InsertMany(Enumerable.Range(0, Size + 2).Select(i => new Component { ID = XnameOf(i), Type = HmsType.Node, State = HmsState.On })));
        services.Groups.Create(new Group { Label = "compute" });

        AuditEntry AddAndJournal(string xname)
        {
            var before = Journaled();
            services.Groups.AddMember("compute", xname);
            Assert.Equal(before + 1, Journaled()); // one entry: the member added, nothing else rewritten
            return Assert.Single(services.Audit.Query(GroupMember.KeyOf("compute", xname)));
        }

        var first = AddAndJournal(XnameOf(0));
        store.Write(s =>
        {
            foreach (var i in Enumerable.Range(1, Size - 1)) GroupService.AddMember(s, "compute", XnameOf(i));
        });
        var last = AddAndJournal(XnameOf(Size));

        foreach (var entry in new[] { first, last })
        {
            Assert.Equal("group_members", entry.Collection);
            Assert.Equal(AuditOperation.Insert, entry.Operation);
            Assert.Null(entry.Before);
            Assert.Equal("compute", (string?)JsonNode.Parse(entry.After!)!["label"]);
        }
        Assert.Equal(XnameOf(Size), (string?)JsonNode.Parse(last.After!)!["member"]);
        // Same-length xnames: the 10,001st member's entry is exactly as big as the first's (the order stamp is a fixed-width number).
        Assert.Equal(XnameOf(0).Length, XnameOf(Size).Length);
        Assert.Equal(first.After!.Length, last.After!.Length);
        Assert.Equal(Size + 1, services.Groups.Get("compute").Members.Ids.Count);
        // The stored group document does not carry its members.
        Assert.Empty(store.Read(s => s.Collection<Group>().Get("compute"))!.Members.Ids);

        var before = Journaled();
        services.Groups.RemoveMember("compute", XnameOf(Size));
        Assert.Equal(before + 1, Journaled());
        var removed = services.Audit.Query(GroupMember.KeyOf("compute", XnameOf(Size))).Last();
        Assert.Equal(AuditOperation.Delete, removed.Operation);
        Assert.Equal(first.After!.Length, removed.Before!.Length);
        Assert.Null(removed.After);
    }

    // What groups and partitions looked like before schema 4: member lists inside the documents.
    private static void MakeOldFile(string path, int version)
    {
        using (var store = LiteDbStore.OpenFile(path))
        {
            var services = new ChamiServices(store);
            foreach (var n in new[] { 0, 1, 2 }) services.Nodes.Create(new NewNodeRequest { Xname = $"x1c0s{n}b0n0" });
        }
        using var raw = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared });
        raw.DropCollection("group_members");
        raw.DropCollection("partition_members");
        raw.DropCollection("group_memberships");
        BsonDocument Old(string id, string? exclusive, params string[] members)
        {
            var doc = new BsonDocument { ["_id"] = id, ["Members"] = new BsonDocument { ["Ids"] = new BsonArray(members.Select(m => new BsonValue(m))) } };
            if (exclusive is not null) doc["ExclusiveGroup"] = exclusive;
            return doc;
        }
        raw.GetCollection("groups").Insert(Old("compute", null, "x1c0s2b0n0", "x1c0s0b0n0", "x1c0s1b0n0"));
        raw.GetCollection("groups").Insert(Old("gpu", "kind", "x1c0s0b0n0"));
        raw.GetCollection("groups").Insert(Old("cpu", "kind"));
        raw.GetCollection("partitions").Insert(new BsonDocument { ["_id"] = "p1", ["Members"] = new BsonDocument { ["Ids"] = new BsonArray(new BsonValue("x1c0s1b0n0"), new BsonValue("x1c0s0b0n0")) } });
        if (version >= 2)
        {
            raw.GetCollection("group_memberships").Insert(new BsonDocument { ["_id"] = "x1c0s0b0n0", ["Labels"] = new BsonArray(new BsonValue("compute"), new BsonValue("gpu")) });
            raw.GetCollection("group_memberships").Insert(new BsonDocument { ["_id"] = "x1c0s1b0n0", ["Labels"] = new BsonArray(new BsonValue("compute")) });
            raw.GetCollection("group_memberships").Insert(new BsonDocument { ["_id"] = "x1c0s2b0n0", ["Labels"] = new BsonArray(new BsonValue("compute")) });
        }
        raw.UserVersion = version;
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Opening_an_older_file_moves_members_into_their_own_documents(int version)
    {
        using var temp = new TempDirectory();
        var path = temp.File("old.db");
        MakeOldFile(path, version);
        using (var reopened = LiteDbStore.OpenFile(path))
        {
            var services = new ChamiServices(reopened);
            Assert.Equal(StoreSchema.CurrentVersion, reopened.SchemaVersion);
            // Listed order kept; the index rebuilt; the partition moved too.
            Assert.Equal(["x1c0s2b0n0", "x1c0s0b0n0", "x1c0s1b0n0"], services.Groups.Get("compute").Members.Ids);
            Assert.Equal(["compute", "gpu"], services.Groups.LabelsOf("x1c0s0b0n0"));
            Assert.Equal(FromMembers(reopened), FromIndex(reopened));
            Assert.Equal(["x1c0s1b0n0", "x1c0s0b0n0"], services.Partitions.Get("p1").Members.Ids);
            Assert.Equal("p1", services.Memberships.Get("x1c0s0b0n0").PartitionName);
            // Rules still hold on the moved data, and new members go after the old ones.
            Assert.Equal("ExclusiveGroupConflict", Assert.Throws<Errors.ChamiException>(() => services.Groups.AddMember("cpu", "x1c0s0b0n0")).ErrorId);
            Assert.Equal("MemberExists", Assert.Throws<Errors.ChamiException>(() => services.Groups.AddMember("compute", "x1c0s0b0n0")).ErrorId);
            Assert.Equal("MemberExists", Assert.Throws<Errors.ChamiException>(() => services.Partitions.AddMember("p1", "x1c0s0b0n0")).ErrorId);
            services.Groups.RemoveMember("compute", "x1c0s2b0n0");
            services.Groups.AddMember("compute", "x1c0s2b0n0");
            Assert.Equal(["x1c0s0b0n0", "x1c0s1b0n0", "x1c0s2b0n0"], services.Groups.Get("compute").Members.Ids);
        }
        // Nothing of the old lists is left in the documents.
        using var raw = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared });
        Assert.All(raw.GetCollection("groups").FindAll(), g => Assert.False(g.ContainsKey("Members")));
        Assert.All(raw.GetCollection("partitions").FindAll(), p => Assert.False(p.ContainsKey("Members")));
    }
}
