using OpenChami.Core.Inventory;
using OpenChami.Core.Locks;
using OpenChami.Core.Power;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Locks;

/// <summary>
/// Lock and reservation requests naming components, and the power check, read by key: no whole-collection read,
/// so they cost the same per component at 100,000 nodes as at 12 (the store counts whole-collection reads).
/// </summary>
public sealed class LockCostTests : IDisposable
{
    private readonly ScanCountingStore store = new(TestStores.Create());

    public LockCostTests()
    {
        var nodes = new NodeService(store);
        for (var i = 0; i < 12; i++) nodes.Create(new NewNodeRequest { Xname = $"x1000c0s{i}b0n0" });
        store.Reset();
    }

    public void Dispose() => store.Dispose();

    private static LockSelection Select(params string[] ids)
    {
        var selection = new LockSelection();
        selection.ComponentIDs.AddRange(ids);
        return selection;
    }

    [Fact]
    public void Locking_reserving_checking_releasing_and_the_power_check_read_only_the_components_named()
    {
        var locks = new LockService(store, () => TimeProvider.System);
        Assert.Equal(2, locks.Lock(Select("x1000c0s1b0n0", "x1000c0s2b0n0")).Counts.Success);
        var grant = locks.Reserve(Select("x1000c0s3b0n0"), durationMinutes: 3).Success.Single();
        Assert.True(locks.Status(Select("x1000c0s3b0n0")).Components.Single().Reserved);
        Assert.Single(locks.Check([new ReservationKeyRef { Key = grant.DeputyKey }]).Success);
        var power = PowerService.ForStore(store);
        Assert.Throws<Errors.ChamiException>(() => power.EnsureMayChange("x1000c0s3b0n0", null));
        power.EnsureMayChange("x1000c0s3b0n0", grant.DeputyKey);
        Assert.Equal(1, locks.Release([new ReservationKeyRef { Key = grant.ReservationKey }]).Counts.Success);
        Assert.Equal(2, locks.Unlock(Select("x1000c0s1b0n0", "x1000c0s2b0n0")).Counts.Success);
        Assert.Empty(store.Scans);
    }
}
