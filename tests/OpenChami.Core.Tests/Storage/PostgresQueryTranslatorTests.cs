using System.Linq.Expressions;
using OpenChami.Core.Audit;
using OpenChami.Core.Boot;
using OpenChami.Core.Model;
using OpenChami.Core.Power;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

/// <summary>
/// Every predicate form the services use, translated to SQL and run on a real PostgreSQL: the rows it
/// finds must be exactly the rows the compiled C# predicate picks from the whole collection.
/// </summary>
[Trait("Backend", TestStores.PostgresOnly)]
public sealed class PostgresQueryTranslatorTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc);
    private readonly PostgresStore store = TestStores.CreatePostgres();

    public PostgresQueryTranslatorTests()
    {
        store.Write(s =>
        {
            s.Collection<Component>().InsertMany(
            [
                new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node, NID = 1, Role = "Compute", State = HmsState.Ready, Enabled = true },
                new Component { ID = "x1000c0s0b0n1", Type = HmsType.Node, NID = 2, Role = "Compute", State = HmsState.Off, Enabled = false },
                new Component { ID = "x1000c0s1b0n0", Type = HmsType.Node, NID = 10, Role = "Management", State = HmsState.On },
                new Component { ID = "x1000c0s1b0n1", Type = HmsType.Node, State = HmsState.Empty },
                new Component { ID = "x1000c0s0b0", Type = HmsType.NodeBMC, State = HmsState.Ready },
                new Component { ID = "X1000C0S0B0N0-upper", Type = HmsType.Node, NID = -3, Role = "compute" },
            ]);
            s.Collection<Group>().InsertMany(
            [
                new Group { Label = "compute", ExclusiveGroup = "role", Members = new MemberList { Ids = ["x1000c0s0b0n0", "x1000c0s0b0n1"] } },
                new Group { Label = "mgmt", ExclusiveGroup = "role", Members = new MemberList { Ids = ["x1000c0s1b0n0"] } },
                new Group { Label = "gpu", Members = new MemberList { Ids = ["x1000c0s0b0n1", "x1000c0s1b0n0"] } },
                new Group { Label = "empty" },
            ]);
            s.Collection<EthernetInterface>().InsertMany(
            [
                new EthernetInterface { ID = "a1b2c3d4e5f0", MACAddress = "a1:b2:c3:d4:e5:f0", ComponentID = "x1000c0s0b0n0", LastUpdate = T0,
                    IPAddresses = [new IPAddressMapping { IPAddress = "10.0.0.1" }, new IPAddressMapping { IPAddress = "10.1.0.1", Network = "hsn" }] },
                new EthernetInterface { ID = "a1b2c3d4e5f1", MACAddress = "a1:b2:c3:d4:e5:f1", ComponentID = "x1000c0s0b0n1", LastUpdate = T0.AddSeconds(1),
                    IPAddresses = [new IPAddressMapping { IPAddress = "10.0.0.2" }] },
                new EthernetInterface { ID = "a1b2c3d4e5f2", MACAddress = "a1:b2:c3:d4:e5:f2", ComponentID = "x1000c0s0b0n0", LastUpdate = T0.AddMinutes(-5) },
            ]);
            s.Collection<PowerTransition>().InsertMany(
            [
                new PowerTransition { TransitionID = "t1", TransitionStatus = TransitionStatus.New, AutomaticExpirationTime = T0.AddHours(1) },
                new PowerTransition { TransitionID = "t2", TransitionStatus = TransitionStatus.InProgress, AutomaticExpirationTime = T0.AddTicks(1) },
                new PowerTransition { TransitionID = "t3", TransitionStatus = TransitionStatus.Completed, AutomaticExpirationTime = T0 },
                new PowerTransition { TransitionID = "t4", TransitionStatus = TransitionStatus.AbortSignaled, AutomaticExpirationTime = T0.AddDays(-1) },
                new PowerTransition { TransitionID = "t5", TransitionStatus = TransitionStatus.Aborted, AutomaticExpirationTime = DateTime.MinValue },
            ]);
            s.Collection<BootParamsEntry>().InsertMany(
            [
                new BootParamsEntry { Key = "host/x1000c0s0b0n0", Kind = BootIdentityKind.Host, Value = "x1000c0s0b0n0", Kernel = "k1" },
                new BootParamsEntry { Key = "group/compute", Kind = BootIdentityKind.Group, Value = "compute", Kernel = "k2" },
            ]);
        });
    }

    public void Dispose() => store.Dispose();

    [Fact]
    public void Component_predicates_match_the_compiled_predicate()
    {
        long wantedNid = 2;
        long? missing = null;
        var role = "Compute";
        var type = HmsType.Node;
        AssertSame<Component>(
            c => c.Type == HmsType.Node,
            c => c.Type == type,
            c => c.Type != HmsType.Node,
            c => c.NID == wantedNid,
            c => c.NID == 10,
            c => c.NID == missing,
            c => c.NID != 2,
            c => c.NID > 1,
            c => c.NID >= 2,
            c => c.NID < 2,
            c => c.NID <= -3,
            c => 2 < c.NID,
            c => c.Role == role,
            c => c.Role == null,
            c => c.Role != "Compute",
            c => c.State == HmsState.Ready && c.Type == HmsType.Node,
            c => c.State == HmsState.Off || c.NID == 10,
            c => !(c.Role == "Compute"),
            c => !(c.NID > 1) && c.Type == HmsType.Node,
            c => c.Enabled == true,
            c => c.Enabled == false,
            c => c.Enabled != true,
            c => c.ID == "x1000c0s0b0n0");
    }

    [Fact]
    public void Group_membership_and_other_collections_match_the_compiled_predicate()
    {
        var id = "x1000c0s0b0n1";
        var exclusive = "role";
        var ip = "10.1.0.1";
        var since = T0;
        AssertSame<Group>(
            g => g.Members.Ids.Contains(id),
            g => g.Members.Ids.Contains("nobody"),
            g => g.ExclusiveGroup == exclusive && g.Members.Ids.Contains(id),
            g => g.ExclusiveGroup == exclusive,
            g => !g.Members.Ids.Contains(id));
        AssertSame<EthernetInterface>(
            e => e.IPAddresses.Select(a => a.IPAddress).Any(a => a == ip),
            e => e.IPAddresses.Any(a => a.IPAddress == "10.0.0.2"),
            e => e.ComponentID == "x1000c0s0b0n0",
            e => e.LastUpdate >= since,
            e => e.LastUpdate < since);
        AssertSame<PowerTransition>(
            t => t.TransitionStatus == TransitionStatus.New || t.TransitionStatus == TransitionStatus.InProgress || t.TransitionStatus == TransitionStatus.AbortSignaled,
            t => t.TransitionStatus == TransitionStatus.Completed || t.TransitionStatus == TransitionStatus.Aborted,
            t => t.AutomaticExpirationTime > since,
            t => t.AutomaticExpirationTime >= since,
            t => t.AutomaticExpirationTime <= since && (t.TransitionStatus == TransitionStatus.Completed || t.TransitionStatus == TransitionStatus.Aborted),
            t => t.AutomaticExpirationTime == since);
        AssertSame<BootParamsEntry>(
            e => e.Kind == BootIdentityKind.Group,
            e => e.Value == "x1000c0s0b0n0");
    }

    [Fact]
    public void An_untranslatable_predicate_falls_back_to_filtering_in_memory()
    {
        Expression<Func<Component, bool>> odd = c => c.ID.EndsWith("n1", StringComparison.Ordinal);
        Assert.Null(PostgresQueryTranslator.TryTranslate(odd));
        var found = store.Read(s => s.Collection<Component>().Find(odd)).Select(c => c.ID).ToList();
        Assert.Equal(["x1000c0s0b0n1", "x1000c0s1b0n1"], found);
        var deleted = store.Write(s => s.Collection<Component>().DeleteMany(odd));
        Assert.Equal(2, deleted);
        Assert.Equal(4, store.Read(s => s.Collection<Component>().Count()));
    }

    [Fact]
    public void Values_travel_as_parameters_never_in_the_sql_text()
    {
        var hostile = "x'; DROP TABLE chami_components; --";
        Expression<Func<Component, bool>> predicate = c => c.Role == hostile;
        var condition = PostgresQueryTranslator.TryTranslate(predicate)!;
        Assert.DoesNotContain("DROP", condition.Sql, StringComparison.Ordinal);
        Assert.Equal(hostile, Assert.Single(condition.Parameters).Value);
        Assert.Empty(store.Read(s => s.Collection<Component>().Find(predicate)));
        Assert.Equal(6, store.Read(s => s.Collection<Component>().Count()));
    }

    [Fact]
    public void DeleteMany_with_a_translated_predicate_deletes_exactly_the_matches_and_journals_them()
    {
        var deleted = store.Write(s => s.Collection<EthernetInterface>().DeleteMany(e => e.ComponentID == "x1000c0s0b0n0"));
        Assert.Equal(2, deleted);
        Assert.Equal(["a1b2c3d4e5f1"], store.Read(s => s.Collection<EthernetInterface>().All()).Select(e => e.ID));
        var journal = store.Read(s => s.Collection<AuditEntry>().Find(a => a.Operation == AuditOperation.Delete));
        Assert.Equal(["a1b2c3d4e5f0", "a1b2c3d4e5f2"], journal.Select(a => a.Target).Order(StringComparer.Ordinal));
    }

    private void AssertSame<T>(params Expression<Func<T, bool>>[] predicates) where T : class
    {
        var definition = StoreSchema.Get(typeof(T));
        var all = store.Read(s => s.Collection<T>().All());
        foreach (var predicate in predicates)
        {
            Assert.True(PostgresQueryTranslator.TryTranslate(predicate) is not null, $"not translated: {predicate}");
            var expected = all.Where(predicate.Compile()).Select(d => definition.IdOf(d)).Order(StringComparer.Ordinal).ToList();
            var found = store.Read(s => s.Collection<T>().Find(predicate)).Select(d => definition.IdOf(d)).ToList();
            Assert.True(expected.SequenceEqual(found), $"{predicate}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", found)}]");
            var one = store.Read(s => s.Collection<T>().FindOne(predicate));
            Assert.Equal(expected.FirstOrDefault(), one is null ? null : definition.IdOf(one));
        }
    }
}
