using LiteDB;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Storage;

public sealed class GroupMembershipIndexTests
{
    // The truth the index must always agree with: scan every group's member list.
    private static Dictionary<string, List<string>> FromGroups(IChamiStore store) => store.Read(s =>
        s.Collection<Group>().All()
            .SelectMany(g => g.Members.Ids.Select(id => (id, g.Label)))
            .GroupBy(p => p.id)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Label).Order(StringComparer.Ordinal).ToList()));

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
        Assert.Throws<Errors.ChamiException>(() => store.Write(s =>
        {
            GroupService.AddMember(s, "login", "x1c0s3b0n0");
            throw Errors.ChamiException.Invalid("Boom", "rolled back");   // the index rolls back with the group
        }));

        Assert.Equal(FromGroups(store), FromIndex(store));
        Assert.Equal(["compute", "login"], services.Groups.LabelsOf("x1c0s0b0n0"));
        Assert.Empty(services.Groups.LabelsOf("x1c0s1b0n0"));
        Assert.Empty(services.Groups.LabelsOf("x1c0s2b0n0"));
        Assert.Equal(["compute"], services.Groups.LabelsOf("x1c0s3b0n0"));
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void Opening_a_schema_1_file_builds_the_index_from_its_groups()
    {
        using var temp = new TempDirectory();
        var path = temp.File("old.db");
        using (var store = LiteDbStore.OpenFile(path))
        {
            var services = new ChamiServices(store);
            services.Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", Group = ["compute", "gpu"] });
            services.Nodes.Create(new NewNodeRequest { Xname = "x1c0s1b0n0", Group = ["compute"] });
        }
        // Make it what a schema-1 file looked like: no membership index.
        using (var raw = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared }))
        {
            raw.DropCollection("group_memberships");
            raw.UserVersion = 1;
        }
        using (var reopened = LiteDbStore.OpenFile(path))
        {
            Assert.Equal(StoreSchema.CurrentVersion, reopened.SchemaVersion);
            Assert.Equal(["compute", "gpu"], new GroupService(reopened).LabelsOf("x1c0s0b0n0"));
            Assert.Equal(FromGroups(reopened), FromIndex(reopened));
        }
    }
}
