using OpenChami.Core.Boot;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests;

public sealed class ChamiServicesTests
{
    // The server's first requests arrive together: a service created twice would split its state (the boot
    // script service's pending endpoint-history writes, its SeedProvider) between two instances.
    [Fact]
    public void A_lazily_created_service_is_created_once_under_concurrent_first_use()
    {
        using var store = TestStores.Create();
        const int Threads = 8;
        for (var round = 0; round < 50; round++)
        {
            var services = new ChamiServices(store);
            var seen = new BootScriptService[Threads];
            using var start = new Barrier(Threads);
            var workers = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                seen[i] = services.BootScripts;
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            Assert.All(seen, s => Assert.Same(services.BootScripts, s));
        }
    }
}
