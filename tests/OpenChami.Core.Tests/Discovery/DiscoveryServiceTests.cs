using OpenChami.Core.Tests.Support;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using OpenChami.Core.Discovery;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Discovery;

/// <summary>Discovery end to end: real simulated BMCs on loopback, a real LiteDB file.</summary>
public sealed class DiscoveryServiceTests
{
    private static readonly NetworkCredential Admin = new(RedfishBmcSimulator.DefaultUsername, RedfishBmcSimulator.DefaultPassword);

    private static DiscoveryOptions Options(Action<DiscoveryOptions>? configure = null)
    {
        var o = new DiscoveryOptions
        {
            Credentials = BmcCredentialMap.ForAll(Admin),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ProbeTimeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(3),
            BmcTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(o);
        return o;
    }

    private static IReadOnlyList<DiscoveryTarget> Targets(RedfishFixtureFarm farm) =>
        farm.Endpoints.Select(e => new DiscoveryTarget(e.Address, e.Port, "http")).ToList();

    public static TheoryData<string> Mockups() => new(MockupExpectation.Folders());

    [Theory]
    [MemberData(nameof(Mockups))]
    public async Task Discovery_finds_exactly_the_systems_uuids_and_macs_of_the_mockup(string folder)
    {
        var expected = MockupExpectation.Load(folder);
        Assert.NotEmpty(expected.Systems);
        await using var farm = await RedfishFixtureFarm.StartAsync(folder, 1);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);

        var summary = await services.Discovery.DiscoverAsync(Targets(farm), Options());

        var result = Assert.Single(summary.Results);
        Assert.True(result.Status == BmcDiscoveryStatus.Added, result.Error);
        Assert.Equal(expected.RootUuid, result.Record!.UUID);
        Assert.Equal(expected.RootUuid, services.RedfishEndpoints.Get(result.Xname!).UUID);
        Assert.Equal(expected.Systems.Count, result.Systems);
        var inventory = result.Inventory!;
        Assert.Equal(expected.Systems.Select(s => s.Path), inventory.Systems.Select(s => s.Path));
        for (var i = 0; i < expected.Systems.Count; i++)
        {
            var want = expected.Systems[i];
            var got = inventory.Systems[i];
            Assert.Equal(want.Uuid, got.UUID);
            Assert.Equal(want.Macs, got.MacAddresses);
            Assert.Equal(want.ResetTypes, got.ResetTypes);
            Assert.Equal(want.ResetTarget, got.ResetTarget);
            Assert.Equal(want.ResetTypes, result.Record.Systems![i].Actions);
            // What power control reads: the ComponentEndpoint's reset action (values and target as the BMC gave them).
            var ce = services.RedfishEndpoints.FindComponentEndpoint(result.Nodes[i])!;
            Assert.Equal(want.ResetTypes, ce.RedfishSystemInfo!.Actions!.ComputerSystemReset!.AllowableValues);
            Assert.Equal(want.ResetTarget, ce.RedfishSystemInfo.Actions.ComputerSystemReset.Target);

            // The store: one Node per System (never merged by UUID/serial), each MAC an interface of that node.
            var node = result.Nodes[i];
            Assert.Equal($"{result.Xname}n{i}", node);
            Assert.Equal(HmsType.Node, services.Components.Get(node).Type);
            Assert.Equal(want.Macs.Order(), services.EthernetInterfaces.OfComponent(node).Select(n => n.MACAddress).Order());
        }
        Assert.Equal(expected.Systems.Count, services.Components.Query(new ComponentQuery()).Count(c => c.Type == HmsType.Node));
        Assert.Equal(HmsType.NodeBMC, services.Components.Get(result.Xname!).Type);
        Assert.Equal($"127.0.0.1:{farm[0].Port}", services.RedfishEndpoints.Get(result.Xname!).FQDN); // the port is kept (magellan dropped it)
        Assert.DoesNotContain("password", JsonSerializer.Serialize(result.Record, ChamiJson.Options), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, farm[0].SessionCount); // logged out
        Assert.Single(farm[0].Requests, r => r.Method == "POST"); // one login per BMC
    }

    [Fact]
    public async Task Ex425_nodes_without_uuid_and_with_a_shared_serial_stay_two_nodes_and_bad_macs_are_skipped()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var result = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options())).Results);

        Assert.Equal(2, result.Nodes.Distinct().Count());
        Assert.Equal(["00:40:a6:83:52:5f", "00:40:a6:83:52:60"], result.MacAddresses);
        Assert.Null(result.BmcMacAddress); // not exposed over Redfish: left empty, never invented
        Assert.Contains(result.Warnings, w => w.Contains("HPCNet0", StringComparison.Ordinal) && w.Contains("Not Available", StringComparison.Ordinal));
        Assert.All(result.Record!.Systems!, s => Assert.Equal(["ForceOff", "On", "Off"], s.Actions)); // from ActionInfo
        Assert.Equal(2, services.EthernetInterfaces.All().Count);
        Assert.Equal(2, services.RedfishEndpoints.ComponentEndpointsOf(result.Xname!).Count(c => c.RedfishType == "ComputerSystem"));
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public async Task Second_run_reports_every_bmc_unchanged_and_leaves_the_store_identical()
    {
        await using var rack = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "public-rackmount1"), 3);
        await using var blades = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 2);
        using var temp = new Support.TempDirectory();
        using var store = LiteDbStore.OpenFile(temp.File("chami.db"));
        var services = new ChamiServices(store);
        var targets = Targets(rack).Concat(Targets(blades)).ToList();

        var first = await services.Discovery.DiscoverAsync(targets, Options());
        Assert.All(first.Results, r => Assert.Equal(BmcDiscoveryStatus.Added, r.Status));
        Assert.Equal(5, first.Results.Select(r => r.Xname).Distinct().Count()); // same IP, different ports: distinct BMCs
        var before = Dump(store);

        var second = await services.Discovery.DiscoverAsync(targets, Options());

        Assert.True(5 == second.Unchanged, string.Join(Environment.NewLine, second.Results.SelectMany(r => r.Changes)));
        Assert.All(second.Results, r => Assert.Empty(r.Changes));
        Assert.Equal(first.Results.Select(r => (r.Xname, string.Join(",", r.Nodes))), second.Results.Select(r => (r.Xname, string.Join(",", r.Nodes))));
        Assert.Equal(before, Dump(store));
        // The farm serves one mockup many times, so MACs repeat: they stay with the first owner, with a warning.
        Assert.Contains(second.Results, r => r.Warnings.Any(w => w.Contains("already belongs to", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Timeout_refused_credential_and_500s_do_not_stop_the_others_and_each_says_why()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "public-rackmount1"), 6, (i, s) =>
        {
            switch (i)
            {
                case 1: s.Fault = RedfishFault.Timeout; s.TimeoutHold = TimeSpan.FromHours(1); break; // only the probe timeout ends it
                case 2: s.Fault = RedfishFault.RefuseCredentials; break;
                case 3: s.Fault = RedfishFault.ServerError; s.FaultIncludesServiceRoot = false; break; // probe fine, walk all 500
                case 4: s.Fault = RedfishFault.ServerError; break; // even the service root is 500
            }
        });
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var clock = new TestClock();
        var probeTimeout = TimeSpan.FromSeconds(1);
        var reported = new ConcurrentBag<DiscoveryResult>();

        var run = services.Discovery.DiscoverAsync(Targets(farm), Options(o => { o.ProbeTimeout = probeTimeout; o.TimeProvider = clock; }), reported.Add);

        // Time stands still: the five others finish while the silent one still waits on its probe timeout, the only timer left.
        await TestClock.WaitUntilAsync(() => run.IsCompleted || (reported.Count == 5 && clock.PendingDueIn().SequenceEqual([probeTimeout])), "the others to finish");
        Assert.False(run.IsCompleted, "the run ended before the silent BMC's probe timed out");
        Assert.DoesNotContain(reported, r => r.Port == farm[1].Port);
        Assert.Single(farm[1].Requests);
        clock.Advance(probeTimeout);
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(60)); // hang guard only

        var byPort = summary.Results.ToDictionary(r => r.Port);
        Assert.Equal(BmcDiscoveryStatus.Added, byPort[farm[0].Port].Status);
        Assert.Equal(BmcDiscoveryStatus.Added, byPort[farm[5].Port].Status);
        var silent = byPort[farm[1].Port];
        Assert.Equal(DiscoveryFailure.Timeout, silent.Reason);
        Assert.Equal("Probe", silent.Stage);
        Assert.Equal(probeTimeout, silent.Duration); // cut off exactly when its timer fired
        Assert.Equal(probeTimeout, summary.Duration);
        Assert.All(summary.Results.Where(r => r.Port != farm[1].Port), r => Assert.Equal(TimeSpan.Zero, r.Duration)); // nobody waited on it
        Assert.Equal(DiscoveryFailure.AuthFailed, byPort[farm[2].Port].Reason);
        Assert.Contains("refused the credential", byPort[farm[2].Port].Error, StringComparison.Ordinal);
        Assert.Equal(DiscoveryFailure.WalkFailed, byPort[farm[3].Port].Reason);
        Assert.Equal(500, byPort[farm[3].Port].HttpStatus);
        Assert.Equal(DiscoveryFailure.NotRedfish, byPort[farm[4].Port].Reason);
        Assert.Contains("500", byPort[farm[4].Port].Error, StringComparison.Ordinal);
        Assert.Equal(4, summary.Failed);
        Assert.Equal(2, store.Read(s => s.Collection<RedfishEndpoint>().Count())); // failures store nothing
    }

    [Fact]
    public async Task A_walk_that_hangs_is_cut_off_by_the_bmc_budget_when_its_timer_fires_and_the_others_are_stored()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 3, (i, s) =>
        {
            if (i != 1) return;
            s.Fault = RedfishFault.Timeout; // the probe is answered, every request of the walk is held
            s.FaultIncludesServiceRoot = false;
            s.TimeoutHold = TimeSpan.FromHours(1);
        });
        using var store = TestStores.Create();
        var clock = new TestClock();
        var budget = TimeSpan.FromSeconds(2);
        var requestTimeout = TimeSpan.FromSeconds(3); // longer than the budget: only the budget can end this walk
        var reported = new ConcurrentBag<DiscoveryResult>();

        var run = new ChamiServices(store).Discovery.DiscoverAsync(Targets(farm),
            Options(o => { o.BmcTimeout = budget; o.RequestTimeout = requestTimeout; o.TimeProvider = clock; }), reported.Add);

        static bool Held(RedfishRequestRecord r) => r.Path.TrimEnd('/') is not ("/redfish/v1" or "/redfish");
        await TestClock.WaitUntilAsync(() => run.IsCompleted
            || (reported.Count == 2 && farm[1].Requests.Any(Held) && clock.PendingDueIn().SequenceEqual([budget, requestTimeout])), "the walk to hang");
        Assert.False(run.IsCompleted, "the run ended before the hung BMC's budget ran out");
        Assert.All(reported, r => Assert.Equal(BmcDiscoveryStatus.Added, r.Status));
        clock.Advance(budget);
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(60)); // hang guard only

        var hung = summary.Results.Single(r => r.Port == farm[1].Port);
        Assert.Equal(DiscoveryFailure.Timeout, hung.Reason);
        Assert.Equal("Walk", hung.Stage);
        Assert.Contains("BMC budget of 2 s", hung.Error, StringComparison.Ordinal);
        Assert.Equal(budget, hung.Duration);
        Assert.Equal(budget, clock.Elapsed);
        Assert.Equal(2, summary.Added);
        Assert.Equal(2, store.Read(s => s.Collection<RedfishEndpoint>().Count()));
    }

    [Fact]
    public async Task Missing_members_and_slow_resources_become_warnings_not_failures()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1, (_, s) =>
        {
            s.ResponseRewriter = (path, node) =>
            {
                if (path == "/redfish/v1/Systems/Node1/EthernetInterfaces/ManagementEthernet") return null; // 404
                if (path == "/redfish/v1/Chassis") node.AsObject().Remove("Members"); // a vendor's broken collection
                return node;
            };
        });
        using var store = TestStores.Create();
        var result = Assert.Single((await new ChamiServices(store).Discovery.DiscoverAsync(Targets(farm), Options())).Results);

        Assert.True(result.Status == BmcDiscoveryStatus.Added, string.Join(Environment.NewLine, result.Warnings));
        Assert.Equal(2, result.Systems);
        Assert.Equal(["00:40:a6:83:52:5f"], result.MacAddresses);
        Assert.Contains(result.Warnings, w => w.Contains("ManagementEthernet: HTTP 404", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("/redfish/v1/Chassis: collection has no Members", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preview_plans_the_same_change_and_writes_nothing()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 2);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var before = Dump(store);

        var preview = await services.Discovery.DiscoverAsync(Targets(farm), Options(o => o.Preview = true));

        Assert.Equal(before, Dump(store));
        Assert.All(preview.Results, r => Assert.Equal(BmcDiscoveryStatus.Added, r.Status));
        Assert.All(preview.Results, r => Assert.Contains($"Added RedfishEndpoint {r.Xname}", r.Changes));
        var real = await services.Discovery.DiscoverAsync(Targets(farm), Options());
        Assert.Equal(preview.Results.Select(r => r.Xname), real.Results.Select(r => r.Xname));
    }

    [Fact]
    public async Task Xname_map_names_bmcs_unmapped_ones_are_reported_and_operator_named_nodes_are_kept()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 2);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        // The operator already named Node0's machine (static import / New-ChamiNode).
        services.Nodes.Create(new NewNodeRequest { Xname = "x3000c0s9b0n7", MacAddress = ["00:40:a6:83:52:5f"] });
        var map = XnameMap.FromPairs([KeyValuePair.Create($"127.0.0.1:{farm[0].Port}", "x1000c0s0b0")]);

        var summary = await services.Discovery.DiscoverAsync(Targets(farm), Options(o => o.XnameMap = map));

        var mapped = summary.Results.Single(r => r.Port == farm[0].Port);
        Assert.Equal("x1000c0s0b0", mapped.Xname);
        Assert.Equal(["x3000c0s9b0n7", "x1000c0s0b0n1"], mapped.Nodes);
        Assert.Null(services.Components.Find("x1000c0s0b0n0")); // no duplicate of the operator's node
        var unmapped = summary.Results.Single(r => r.Port == farm[1].Port);
        Assert.Equal(DiscoveryFailure.Unmapped, unmapped.Reason);
        Assert.Equal(1, store.Read(s => s.Collection<RedfishEndpoint>().Count()));
    }

    [Fact]
    public async Task Wrong_credential_fails_with_auth_failed_and_missing_credential_says_so()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 2);
        using var store = TestStores.Create();
        var credentials = new BmcCredentialMap();
        credentials.Add($"127.0.0.1:{farm[0].Port}", new NetworkCredential("admin", "wrong"));
        var summary = await new ChamiServices(store).Discovery.DiscoverAsync(Targets(farm), Options(o => o.Credentials = credentials));
        Assert.All(summary.Results, r => Assert.Equal(DiscoveryFailure.AuthFailed, r.Reason));
        var wrong = summary.Results.Single(r => r.Port == farm[0].Port);
        Assert.Contains("user 'admin'", wrong.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", wrong.Error, StringComparison.Ordinal);
        Assert.Contains("-Credential", summary.Results.Single(r => r.Port == farm[1].Port).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_signed_https_needs_skip_certificate_check_which_is_remembered_per_endpoint_and_used_by_power()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1, (_, s) => s.UseHttps = true);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var targets = farm.Endpoints.Select(e => new DiscoveryTarget(e.Address, e.Port, "https")).ToList();

        var strict = Assert.Single((await services.Discovery.DiscoverAsync(targets, Options())).Results);
        Assert.Equal(DiscoveryFailure.TlsError, strict.Reason);
        Assert.Contains("-SkipCertificateCheck", strict.Error, StringComparison.Ordinal);

        var result = Assert.Single((await services.Discovery.DiscoverAsync(targets, Options(o => o.SkipCertificateCheck = true))).Results);
        Assert.Equal(BmcDiscoveryStatus.Added, result.Status);
        Assert.Equal(2, result.Systems);
        Assert.True(services.RedfishEndpoints.Get(result.Xname!).SkipCertificateCheck);
        // Ours, not SMD's: stored, but not on the SMD wire.
        Assert.DoesNotContain("SkipCertificateCheck", JsonSerializer.Serialize(services.RedfishEndpoints.Get(result.Xname!), ChamiJson.Options), StringComparison.Ordinal);
        services.RedfishEndpoints.SetCredential(result.Xname!, Admin.UserName, Admin.Password);
        services.Power.Options.SkipCertificateCheck = false;
        services.Power.Options.Attempts = 1;

        // Power reaches the BMC discovery reached, without being told again.
        var status = Assert.Single(await services.Power.GetStatusAsync([result.Nodes[0]], null, 1, CancellationToken.None));
        Assert.True(status.ManagementState == "available", status.Error);

        // The operator takes the choice back: the TLS failure names the switch that accepts the certificate.
        services.RedfishEndpoints.Patch(result.Xname!, new RedfishEndpointInput { SkipCertificateCheck = false });
        Assert.Null(services.RedfishEndpoints.Get(result.Xname!).SkipCertificateCheck);
        var refused = Assert.Single(await services.Power.GetStatusAsync([result.Nodes[0]], null, 1, CancellationToken.None));
        Assert.Equal("unavailable", refused.ManagementState);
        Assert.Contains("SSL connection could not be established", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"-SkipCertificateCheck", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"Set-ChamiRedfishEndpoint {result.Xname} -SkipCertificateCheck", refused.Error, StringComparison.Ordinal);

        // Set it again, and a later discovery that verifies nothing changes it only when it runs with the check on.
        services.RedfishEndpoints.Patch(result.Xname!, new RedfishEndpointInput { SkipCertificateCheck = true });
        var again = Assert.Single((await services.Discovery.DiscoverAsync(targets, Options(o => o.SkipCertificateCheck = true))).Results);
        Assert.Equal(BmcDiscoveryStatus.Unchanged, again.Status);
        Assert.True(services.RedfishEndpoints.Get(result.Xname!).SkipCertificateCheck);
    }

    [Fact]
    public async Task Node_state_follows_the_redfish_power_state_and_rediscovery_updates_it()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        farm[0].SetPowerState("/redfish/v1/Systems/Node0", "On");
        farm[0].SetPowerState("/redfish/v1/Systems/Node1", "Off");
        using var store = TestStores.Create();
        var services = new ChamiServices(store);

        var first = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options())).Results);
        Assert.Equal(HmsState.On, services.Components.Get(first.Nodes[0]).State);
        Assert.Equal(HmsState.Off, services.Components.Get(first.Nodes[1]).State); // was stored On before
        Assert.Equal(HmsState.Ready, services.Components.Get(first.Xname!).State);

        farm[0].SetPowerState("/redfish/v1/Systems/Node0", "PoweringOn"); // SMD: PoweringOn is still Off
        farm[0].SetPowerState("/redfish/v1/Systems/Node1", "On");
        var second = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options())).Results);
        Assert.Equal(BmcDiscoveryStatus.Updated, second.Status);
        Assert.Contains($"Updated Component {first.Nodes[0]}", second.Changes);
        Assert.Equal(HmsState.Off, services.Components.Get(first.Nodes[0]).State);
        Assert.Equal(HmsState.On, services.Components.Get(first.Nodes[1]).State);

        // A node its heartbeat made Ready stays Ready while Redfish says On (SMD: On is not allowed from Ready).
        services.Components.Update(first.Nodes[1], new ComponentPatch { State = HmsState.Ready });
        var third = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options())).Results);
        Assert.Equal(HmsState.Ready, services.Components.Get(first.Nodes[1]).State);
        Assert.DoesNotContain($"Updated Component {first.Nodes[1]}", third.Changes);
    }

    [Fact]
    public async Task A_placeholder_nic_address_is_skipped_with_a_warning_and_the_bmc_is_stored()
    {
        // The issue: "'N/A' is not a valid IP address", status Failed, reason StoreFailed, nothing stored.
        const string nic = "/redfish/v1/Managers/BMC/EthernetInterfaces/eth0";
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "public-rackmount1"), 1, (_, s) =>
            s.ResponseRewriter = (path, node) =>
            {
                if (path == nic) node["IPv4Addresses"]![0]!["Address"] = "N/A";
                if (path == "/redfish/v1/Systems/437XR1138R2") node["UUID"] = "00000000-0000-0000-0000-000000000000";
                return node;
            });
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var map = XnameMap.FromPairs([KeyValuePair.Create($"127.0.0.1:{farm[0].Port}", "x3000c0s1b0")]);

        var result = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options(o => o.XnameMap = map))).Results);

        Assert.True(result.Status == BmcDiscoveryStatus.Added, result.Error);
        Assert.Contains($"x3000c0s1b0: {nic}: IPv4Addresses[0].Address 'N/A' skipped (placeholder)", result.Warnings);
        Assert.Contains("x3000c0s1b0: /redfish/v1/Systems/437XR1138R2: UUID '00000000-0000-0000-0000-000000000000' skipped (placeholder)", result.Warnings);
        var bmcNic = services.EthernetInterfaces.OfComponent("x3000c0s1b0").Single(n => n.MACAddress == result.Record!.Managers![0].EthernetInterfaces!.Single(e => e.Uri!.EndsWith("/eth0", StringComparison.Ordinal)).Mac);
        Assert.Empty(bmcNic.IPAddresses);
        Assert.Null(services.RedfishEndpoints.FindComponentEndpoint(result.Nodes[0])!.UUID);
        Assert.Equal(HmsType.Node, services.Components.Get(result.Nodes[0]).Type);
    }

    [Fact]
    public async Task Rediscovery_uses_the_stored_credential_and_marks_a_refused_one_on_the_endpoint()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var xname = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options())).Results).Xname!;
        services.RedfishEndpoints.SetCredential(xname, "admin", "password");

        // No credential given for this run: the stored one is used (spec §2.6).
        var again = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm), Options(o => o.Credentials = new BmcCredentialMap()))).Results);
        Assert.Equal(BmcDiscoveryStatus.Unchanged, again.Status);

        // An explicit wrong credential overrides it, fails, and the known endpoint says so; nothing else changes.
        var refused = Assert.Single((await services.Discovery.DiscoverAsync(Targets(farm),
            Options(o => o.Credentials = BmcCredentialMap.ForAll(new NetworkCredential("admin", "nope"))))).Results);
        Assert.Equal(DiscoveryFailure.AuthFailed, refused.Reason);
        Assert.Equal(Model.DiscoveryStatus.VerificationFailed, services.RedfishEndpoints.Get(xname).DiscoveryInfo.LastDiscoveryStatus);
        Assert.Equal("password", services.Credentials.Get(xname)!.Secret); // -Credential is never written back
        Assert.Equal(2, services.Nodes.Query(new NodeQuery()).Count);
    }

    [Fact]
    public async Task Concurrency_is_bounded_and_cancellation_stops_without_waiting_for_any_timeout()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 8, (_, s) =>
        {
            s.Fault = RedfishFault.Timeout; // every probe is held until the client gives up
            s.TimeoutHold = TimeSpan.FromHours(1);
        });
        using var store = TestStores.Create();
        var clock = new TestClock(); // never advanced: no timeout can fire
        using var cts = new CancellationTokenSource();
        var run = new ChamiServices(store).Discovery.DiscoverAsync(Targets(farm), Options(o => { o.ThrottleLimit = 2; o.TimeProvider = clock; }),
            cancellationToken: cts.Token);

        await TestClock.WaitUntilAsync(() => run.IsCompleted || farm.Simulators.Count(s => s.Requests.Count > 0) == 2, "two probes in flight");
        Assert.False(run.IsCompleted);
        await cts.CancelAsync();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(60)); // hang guard only

        Assert.True(summary.Cancelled);
        Assert.Empty(summary.Results);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        // Two workers, each held forever: a third BMC could only have been contacted if the throttle let it.
        Assert.Equal(2, farm.Simulators.Count(s => s.Requests.Count > 0));
        Assert.Empty(clock.PendingDueIn()); // every request timeout was disposed with its request
    }

    [Fact]
    public async Task Subnet_where_every_port_is_refused_reports_nothing_and_waits_on_no_timeout()
    {
        using var store = TestStores.Create();
        var clock = new TestClock();
        var targets = DiscoveryTargets.Expand(["127.1.0.0/24"], null, [9], "http");
        var summary = await new ChamiServices(store).Discovery.DiscoverAsync(targets, Options(o => o.TimeProvider = clock)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(254, summary.Targets);
        Assert.Equal(254, summary.Silent);
        Assert.Empty(summary.Results);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed); // refused at once: not one connect timeout was needed
        Assert.Empty(clock.PendingDueIn());
    }

    private static string Dump(IChamiStore store) => store.Read(s => JsonSerializer.Serialize(new
    {
        Components = s.Collection<Component>().All().OrderBy(c => c.ID),
        Interfaces = s.Collection<EthernetInterface>().All().OrderBy(e => e.ID),
        Endpoints = s.Collection<RedfishEndpoint>().All().OrderBy(r => r.ID),
    }, ChamiJson.Options));
}
