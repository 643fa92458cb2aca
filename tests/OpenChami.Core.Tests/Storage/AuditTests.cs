using OpenChami.Core.Tests.Support;
using System.Text.Json.Nodes;
using OpenChami.Core.Audit;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Tests.Storage;

public sealed class AuditTests
{
    [Fact]
    public void Every_change_records_who_what_and_the_values_before_and_after()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        using (ChamiActor.Use("alice", "New-ChamiNode"))
        {
            services.Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = ["aa:bb:cc:dd:ee:01"] });
        }
        using (ChamiActor.Use("bob", "Set-ChamiNode"))
        {
            services.Nodes.Update("x1c0s0b0n0", new ComponentPatch { Role = "Service" });
        }
        using (ChamiActor.Use("carol", "Remove-ChamiNode"))
        {
            services.Nodes.Remove("x1c0s0b0n0");
        }

        var history = services.Audit.Query("X1C0S0B0N0");
        Assert.Equal([AuditOperation.Insert, AuditOperation.Update, AuditOperation.Delete], history.Select(e => e.Operation));
        Assert.Equal(["alice", "bob", "carol"], history.Select(e => e.Actor));
        Assert.Equal("Set-ChamiNode", history[1].Action);
        Assert.Equal("Compute", (string?)JsonNode.Parse(history[1].Before!)!["Role"]);
        Assert.Equal("Service", (string?)JsonNode.Parse(history[1].After!)!["Role"]);
        Assert.Null(history[2].After);
        // The NIC went with the node, and that is journaled under its own id.
        var nic = services.Audit.Query("aabbccddee01");
        Assert.Equal([AuditOperation.Insert, AuditOperation.Delete], nic.Select(e => e.Operation));
        Assert.Equal("carol", nic[1].Actor);
    }

    [Fact]
    public void A_rolled_back_change_leaves_no_journal_entry()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        services.Components.Create(new Component { ID = "x1c0s0b0n0", State = HmsState.On });
        Assert.ThrowsAny<Exception>(() => store.Write(s =>
        {
            s.Collection<Component>().Insert(new Component { ID = "x1c0s0b0n1" });
            throw new InvalidOperationException("boom");
        }));
        Assert.Empty(services.Audit.Query("x1c0s0b0n1"));
        Assert.Single(services.Audit.Query());
    }
}
