using OpenChami.Core.Tests.Support;
using OpenChami.Core.Power;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Tests.Power;

/// <summary>Two servers on one database must never run the same transition twice.</summary>
public sealed class PowerTransitionOwnershipTests
{
    [Fact]
    public void A_live_owner_keeps_its_transition_and_a_silent_one_loses_it()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var transitions = services.Power.Transitions;
        var t = transitions.Create(new TransitionRequest { Operation = "on", Location = [new TransitionLocation { Xname = "x1000c0s0b0n0" }] });

        Assert.NotNull(transitions.Claim(t.TransitionID, "worker-a"));
        Assert.Equal(TransitionStatus.InProgress, transitions.Get(t.TransitionID).TransitionStatus);
        Assert.Null(transitions.Claim(t.TransitionID, "worker-b")); // worker-a is alive

        transitions.Heartbeat(t.TransitionID, "worker-b"); // not the owner: no effect
        store.Write(s =>
        {
            var c = s.Collection<PowerTransition>();
            var doc = c.Get(t.TransitionID)!;
            doc.OwnerHeartbeat = DateTime.UtcNow - PowerTransitionService.OwnerLease - TimeSpan.FromSeconds(1);
            c.Update(doc);
        });
        Assert.Null(transitions.Claim(t.TransitionID, "worker-a")); // its own: already running there
        var taken = transitions.Claim(t.TransitionID, "worker-b");
        Assert.NotNull(taken);
        Assert.Equal("worker-b", transitions.Get(t.TransitionID).OwnerId);
    }
}
