using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>
/// End-to-end check of the fixture over real HTTP (`--selfcheck`): both mockups, auth, sessions, resets,
/// every fault mode, HTTPS, and a farm whose start time and memory are printed. Stand-in until the
/// xunit project exists; prints one line per check and returns non-zero when any fails.
/// </summary>
internal sealed class SelfCheck : IDisposable
{
    private const string SystemsPath = "/redfish/v1/Systems";
    private const string RackSystem = "/redfish/v1/Systems/437XR1138R2";

    private readonly HttpClient _http;
    private int _passed;
    private int _failed;

    private SelfCheck()
    {
        // One client for everything; certificate checks off because HTTPS simulators are self-signed.
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<int> RunAsync(string mockupsRoot, int farmCount)
    {
        using var check = new SelfCheck();
        var rackFolder = Path.Combine(mockupsRoot, "public-rackmount1");
        var exFolder = Path.Combine(mockupsRoot, "EX425");
        var total = Stopwatch.StartNew();

        check.CheckMockupLoading(rackFolder, exFolder);
        await check.CheckReadPathAsync(rackFolder, "1.15.0", expectedSystems: 1, expectedMac: "12:44:6A:3B:04:11");
        await check.CheckReadPathAsync(exFolder, "1.2.0", expectedSystems: 2, expectedMac: "00:40:A6:83:52:5F");
        await check.CheckAuthAndSessionsAsync(rackFolder);
        await check.CheckRackResetsAsync(rackFolder);
        await check.CheckEx425ResetsAsync(exFolder);
        await check.CheckPowerTransitionDelayAsync(rackFolder);
        await check.CheckFaultsAsync(rackFolder);
        await check.CheckHttpsAsync(rackFolder);
        await check.CheckFarmAsync(rackFolder, farmCount);
        await check.CheckFarmAsync(exFolder, farmCount);

        Console.WriteLine($"selfcheck: {check._passed} passed, {check._failed} failed in {total.Elapsed.TotalSeconds:F1} s");
        return check._failed == 0 ? 0 : 1;
    }

    public void Dispose() => _http.Dispose();

    private void Check(string name, bool ok, string? detail = null)
    {
        if (ok)
        {
            _passed++;
        }
        else
        {
            _failed++;
        }

        Console.WriteLine($"{(ok ? "PASS" : "FAIL")}  {name}{(detail is null ? "" : $"  [{detail}]")}");
    }

    private void CheckMockupLoading(string rackFolder, string exFolder)
    {
        var rack = RedfishMockup.Load(rackFolder);
        var ex = RedfishMockup.Load(exFolder);
        Check("mockup: load is cached", ReferenceEquals(rack, RedfishMockup.Load(rackFolder)));
        Check("mockup: plain file Registries/Base.1.5.0.json is a resource", rack.Contains("/redfish/v1/Registries/Base.1.5.0.json"));
        Check("mockup: top-level explorer_config.json is not", !rack.Contains("/redfish/v1/explorer_config.json"));
        Check("mockup: normalize '/redfish/v1/' -> '/redfish/v1'", RedfishMockup.NormalizePath("/redfish/v1/") == "/redfish/v1");
        Check("mockup: normalize strips query and trailing slash",
            RedfishMockup.NormalizePath("/redfish/v1/Systems/?$expand=.") == SystemsPath);
        Check("mockup: normalize strips fragment",
            RedfishMockup.NormalizePath("/redfish/v1/Chassis/1/Power#/PowerControl/0") == "/redfish/v1/Chassis/1/Power");
        Check("mockup: '/redfish/v10' is outside /redfish/v1", RedfishMockup.NormalizePath("/redfish/v10") is null);
        Console.WriteLine($"      rackmount1: {rack.Paths.Count} resources, {rack.TotalBytes / 1024} KiB; " +
                          $"EX425: {ex.Paths.Count} resources, {ex.TotalBytes / 1024} KiB (compact JSON)");
    }

    private async Task CheckReadPathAsync(string folder, string redfishVersion, int expectedSystems, string expectedMac)
    {
        var label = Path.GetFileName(folder);
        await using var bmc = new RedfishBmcSimulator(folder);
        await bmc.StartAsync();

        var root = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        Check($"{label}: service root 200 without credentials",
            root.Status == HttpStatusCode.OK && Str(root.Json, "RedfishVersion") == redfishVersion, root.Summary);
        Check($"{label}: content type application/json", root.ContentType == "application/json", root.ContentType);
        var versions = await SendAsync(bmc, HttpMethod.Get, "/redfish", auth: false);
        Check($"{label}: /redfish lists v1", Str(versions.Json, "v1") == "/redfish/v1/", versions.Summary);

        var systems = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        var members = systems.Json?["Members"]?.AsArray().Select(m => Str(m, "@odata.id")!).ToArray() ?? [];
        Check($"{label}: Systems has {expectedSystems} member(s)", systems.Status == HttpStatusCode.OK && members.Length == expectedSystems,
            string.Join(", ", members));

        var macs = new List<string>();
        foreach (var system in members)
        {
            var sys = await SendAsync(bmc, HttpMethod.Get, system);
            var nicsLink = Str(sys.Json?["EthernetInterfaces"], "@odata.id");
            var nics = nicsLink is null ? default : await SendAsync(bmc, HttpMethod.Get, nicsLink);
            var nicLinks = nics.Json?["Members"]?.AsArray().Select(m => Str(m, "@odata.id")!).ToArray() ?? [];
            Check($"{label}: {system} EthernetInterfaces", nics.Status == HttpStatusCode.OK && nicLinks.Length > 0,
                $"{nicLinks.Length} interfaces");
            foreach (var nic in nicLinks)
            {
                var n = await SendAsync(bmc, HttpMethod.Get, nic);
                macs.Add($"{Path.GetFileName(nic)}={Str(n.Json, "MACAddress")}");
            }
        }

        Check($"{label}: MAC {expectedMac} found", macs.Any(m => m.EndsWith(expectedMac, StringComparison.OrdinalIgnoreCase)),
            string.Join(" ", macs));

        var odd = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/Systems/?$expand=.");
        Check($"{label}: trailing slash + query string served", odd.Status == HttpStatusCode.OK, odd.Summary);
        var missing = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/NoSuchThing");
        Check($"{label}: unknown path -> 404 Redfish error",
            missing.Status == HttpStatusCode.NotFound && Str(missing.Json?["error"], "code")?.EndsWith("ResourceNotFound", StringComparison.Ordinal) == true,
            missing.Summary);
        var outside = await SendAsync(bmc, HttpMethod.Get, "/index.html");
        Check($"{label}: path outside /redfish -> 404", outside.Status == HttpStatusCode.NotFound, outside.Summary);
        if (bmc.Mockup.Contains("/redfish/v1/Registries/Base.1.5.0.json"))
        {
            var registry = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/Registries/Base.1.5.0.json");
            Check($"{label}: plain-file resource served", registry.Status == HttpStatusCode.OK && registry.Json?["Messages"] is not null,
                registry.Summary);
        }
    }

    private async Task CheckAuthAndSessionsAsync(string folder)
    {
        await using var bmc = new RedfishBmcSimulator(folder) { Username = "root", Password = "s3cret" };
        await bmc.StartAsync();

        var none = await SendAsync(bmc, HttpMethod.Get, SystemsPath, auth: false);
        Check("auth: Systems without credentials -> 401 + WWW-Authenticate",
            none.Status == HttpStatusCode.Unauthorized && none.Headers.WwwAuthenticate.Count > 0, none.Summary);
        var wrong = await SendAsync(bmc, HttpMethod.Get, SystemsPath, basic: ("root", "nope"));
        Check("auth: wrong password -> 401", wrong.Status == HttpStatusCode.Unauthorized, wrong.Summary);
        var good = await SendAsync(bmc, HttpMethod.Get, SystemsPath, basic: ("root", "s3cret"));
        Check("auth: Basic -> 200", good.Status == HttpStatusCode.OK, good.Summary);
        var rec = bmc.Requests[^1];
        Check("auth: request recorded with user", rec is { User: "root", Authenticated: true, AuthMethod: RedfishAuthMethod.Basic, StatusCode: 200 },
            rec.ToString());

        var badLogin = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/SessionService/Sessions", auth: false,
            body: """{"UserName":"root","Password":"nope"}""");
        Check("session: wrong password -> 401", badLogin.Status == HttpStatusCode.Unauthorized, badLogin.Summary);
        var login = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/SessionService/Sessions", auth: false,
            body: """{"UserName":"root","Password":"s3cret"}""");
        var token = login.Headers.TryGetValues("X-Auth-Token", out var t) ? t.First() : null;
        var location = login.Headers.Location?.ToString();
        Check("session: login -> 201 + X-Auth-Token + Location",
            login.Status == HttpStatusCode.Created && token is not null && location?.StartsWith("/redfish/v1/SessionService/Sessions/", StringComparison.Ordinal) == true,
            $"{login.Summary} Location={location}");

        var withToken = await SendAsync(bmc, HttpMethod.Get, SystemsPath, token: token);
        Check("session: token accepted", withToken.Status == HttpStatusCode.OK && bmc.Requests[^1].AuthMethod == RedfishAuthMethod.Session,
            withToken.Summary);
        var sessions = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/SessionService/Sessions", token: token);
        Check("session: collection lists the live session", sessions.Json?["Members"]?.AsArray().Count == 1, sessions.Summary);
        var logout = await SendAsync(bmc, HttpMethod.Delete, location!, token: token);
        Check("session: DELETE -> 204", logout.Status == HttpStatusCode.NoContent && bmc.SessionCount == 0, logout.Summary);
        var stale = await SendAsync(bmc, HttpMethod.Get, SystemsPath, token: token);
        Check("session: token invalid after logout -> 401", stale.Status == HttpStatusCode.Unauthorized, stale.Summary);

        bmc.RequireAuthentication = false;
        var open = await SendAsync(bmc, HttpMethod.Get, SystemsPath, auth: false);
        Check("auth: RequireAuthentication=false opens resources", open.Status == HttpStatusCode.OK, open.Summary);
    }

    private async Task CheckRackResetsAsync(string folder)
    {
        await using var bmc = new RedfishBmcSimulator(folder);
        await bmc.StartAsync();
        const string target = RackSystem + "/Actions/ComputerSystem.Reset";

        Check("rack reset: nothing sent yet", bmc.Requests.Count == 0);
        var off = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"ForceOff"}""");
        var state = await SendAsync(bmc, HttpMethod.Get, RackSystem);
        Check("rack reset: ForceOff -> 204, PowerState Off",
            off.Status == HttpStatusCode.NoContent && Str(state.Json, "PowerState") == "Off", $"{off.Summary} state={Str(state.Json, "PowerState")}");
        var sent = bmc.Requests.Where(r => r.Method == "POST").ToArray();
        Check("rack reset: request log has ResetType ForceOff to the target",
            sent.Length == 1 && sent[0].Path == target && sent[0].ResetType == "ForceOff" && sent[0].StatusCode == 204,
            string.Join("; ", sent.Select(r => r.ToString())));
        Check("rack reset: shared mockup unchanged", Str(bmc.Mockup.GetResource(RackSystem), "PowerState") == "On");

        var notAllowed = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"Off"}""");
        Check("rack reset: 'Off' not in inline AllowableValues -> 400", notAllowed.Status == HttpStatusCode.BadRequest,
            notAllowed.Summary);
        var on = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"On"}""");
        Check("rack reset: On -> On", on.Status == HttpStatusCode.NoContent && bmc.GetPowerState(RackSystem) == "On", on.Summary);
        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"PushPowerButton"}""");
        Check("rack reset: PushPowerButton toggles On -> Off", bmc.GetPowerState(RackSystem) == "Off");
        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"Nmi"}""");
        Check("rack reset: Nmi leaves PowerState", bmc.GetPowerState(RackSystem) == "Off");
        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"GracefulRestart"}""");
        Check("rack reset: GracefulRestart ends On", bmc.GetPowerState(RackSystem) == "On");

        var malformed = await SendAsync(bmc, HttpMethod.Post, target, body: "{not json");
        Check("rack reset: malformed JSON -> 400", malformed.Status == HttpStatusCode.BadRequest, malformed.Summary);
        var missing = await SendAsync(bmc, HttpMethod.Post, target, body: "{}");
        Check("rack reset: missing ResetType -> 400", missing.Status == HttpStatusCode.BadRequest, missing.Summary);
        var unauth = await SendAsync(bmc, HttpMethod.Post, target, auth: false, body: """{"ResetType":"ForceOff"}""");
        Check("rack reset: without credentials -> 401, state kept",
            unauth.Status == HttpStatusCode.Unauthorized && bmc.GetPowerState(RackSystem) == "On", unauth.Summary);
        var manager = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/Managers/BMC/Actions/Manager.Reset",
            body: """{"ResetType":"GracefulRestart"}""");
        Check("rack reset: Manager.Reset -> 204", manager.Status == HttpStatusCode.NoContent, manager.Summary);
        var noAction = await SendAsync(bmc, HttpMethod.Post, RackSystem + "/Actions/ComputerSystem.Explode", body: "{}");
        Check("rack reset: unknown action -> 404", noAction.Status == HttpStatusCode.NotFound, noAction.Summary);
        var patch = await SendAsync(bmc, HttpMethod.Patch, RackSystem, body: "{}");
        Check("rack: PATCH on a resource -> 405", patch.Status == HttpStatusCode.MethodNotAllowed, patch.Summary);
    }

    private async Task CheckEx425ResetsAsync(string folder)
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(folder, 2);
        var bmc = farm[0];
        const string node0 = "/redfish/v1/Systems/Node0";
        const string node1 = "/redfish/v1/Systems/Node1";
        const string target = node1 + "/Actions/ComputerSystem.Reset";

        var off = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"ForceOff"}""");
        Check("EX425 reset: Node1 ForceOff via ActionInfo -> Off", off.Status == HttpStatusCode.NoContent && bmc.GetPowerState(node1) == "Off",
            off.Summary);
        Check("EX425 reset: Node0 unaffected", bmc.GetPowerState(node0) == "On");
        Check("EX425 reset: other BMC's Node1 unaffected", farm[1].GetPowerState(node1) == "On");
        var on = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"On"}""");
        Check("EX425 reset: Node1 On (ActionInfo) -> 204, On", on.Status == HttpStatusCode.NoContent && bmc.GetPowerState(node1) == "On",
            on.Summary);
        var restart = await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"GracefulRestart"}""");
        var messageId = Str(restart.Json?["error"]?["@Message.ExtendedInfo"]?[0], "MessageId");
        Check("EX425 reset: GracefulRestart not in ActionInfo -> 400 ActionParameterValueNotInList",
            restart.Status == HttpStatusCode.BadRequest && messageId?.EndsWith("ActionParameterValueNotInList", StringComparison.Ordinal) == true,
            restart.Summary);
        var manager = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/Managers/BMC/Actions/Manager.Reset",
            body: """{"ResetType":"StatefulReset"}""");
        Check("EX425 reset: Manager.Reset StatefulReset -> 204", manager.Status == HttpStatusCode.NoContent, manager.Summary);
        var badManager = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/Managers/BMC/Actions/Manager.Reset",
            body: """{"ResetType":"GracefulRestart"}""");
        Check("EX425 reset: Manager.Reset GracefulRestart -> 400", badManager.Status == HttpStatusCode.BadRequest, badManager.Summary);
        var oem = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/Managers/BMC/Actions/Oem/CrayProcess.Schedule",
            body: """{"Name":"memtest"}""");
        Check("EX425: OEM action accepted and recorded", oem.Status == HttpStatusCode.NoContent, oem.Summary);
        Check("EX425: nothing sent to the second BMC", farm[1].Requests.Count == 0);
    }

    private async Task CheckPowerTransitionDelayAsync(string folder)
    {
        await using var bmc = new RedfishBmcSimulator(folder) { PowerTransitionDelay = TimeSpan.FromMilliseconds(300) };
        await bmc.StartAsync();
        const string target = RackSystem + "/Actions/ComputerSystem.Reset";

        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"GracefulShutdown"}""");
        var during = bmc.GetPowerState(RackSystem);
        await Task.Delay(700);
        Check("delay: GracefulShutdown goes PoweringOff -> Off", during == "PoweringOff" && bmc.GetPowerState(RackSystem) == "Off",
            $"{during} -> {bmc.GetPowerState(RackSystem)}");

        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"On"}""");
        var during2 = bmc.GetPowerState(RackSystem);
        await SendAsync(bmc, HttpMethod.Post, target, body: """{"ResetType":"ForceOff"}""");
        await Task.Delay(700);
        Check("delay: a later reset wins over a pending one", during2 == "PoweringOn" && bmc.GetPowerState(RackSystem) == "Off",
            $"{during2} -> {bmc.GetPowerState(RackSystem)}");
    }

    private async Task CheckFaultsAsync(string folder)
    {
        await using var bmc = new RedfishBmcSimulator(folder);
        await bmc.StartAsync();

        // Timeout: the client gives up; the request is recorded unanswered.
        bmc.Fault = RedfishFault.Timeout;
        using (var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(1) })
        {
            var sw = Stopwatch.StartNew();
            var timedOut = false;
            try
            {
                await impatient.GetAsync(bmc.ServiceRootUrl);
            }
            catch (TaskCanceledException)
            {
                timedOut = true;
            }

            Check("fault Timeout: client times out", timedOut && sw.Elapsed < TimeSpan.FromSeconds(3), $"{sw.ElapsedMilliseconds} ms");
        }

        await Task.Delay(100);
        Check("fault Timeout: request recorded with StatusCode 0", bmc.Requests[^1] is { Method: "GET", StatusCode: 0 }, bmc.Requests[^1].ToString());
        bmc.TimeoutHold = TimeSpan.FromMilliseconds(300);
        var dropped = false;
        try
        {
            await _http.GetAsync(bmc.ServiceRootUrl);
        }
        catch (HttpRequestException)
        {
            dropped = true;
        }

        Check("fault Timeout: connection dropped after TimeoutHold", dropped);
        bmc.FaultIncludesServiceRoot = false;
        var rootOk = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        Check("fault Timeout + FaultIncludesServiceRoot=false: root still answers", rootOk.Status == HttpStatusCode.OK, rootOk.Summary);

        bmc.Fault = RedfishFault.ServerError;
        bmc.FaultIncludesServiceRoot = true;
        var root500 = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        Check("fault ServerError: 500 on the root", root500.Status == HttpStatusCode.InternalServerError, root500.Summary);
        bmc.FaultIncludesServiceRoot = false;
        var root200 = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        var systems500 = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        Check("fault ServerError sparing root: root 200, Systems 500",
            root200.Status == HttpStatusCode.OK && systems500.Status == HttpStatusCode.InternalServerError, systems500.Summary);

        bmc.Fault = RedfishFault.RefuseCredentials;
        var refused = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        var refusedLogin = await SendAsync(bmc, HttpMethod.Post, "/redfish/v1/SessionService/Sessions", auth: false,
            body: $$"""{"UserName":"{{bmc.Username}}","Password":"{{bmc.Password}}"}""");
        var rootSpared = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        Check("fault RefuseCredentials: correct Basic and login -> 401, spared root 200",
            refused.Status == HttpStatusCode.Unauthorized && refusedLogin.Status == HttpStatusCode.Unauthorized && rootSpared.Status == HttpStatusCode.OK,
            $"{refused.Summary} / {refusedLogin.Summary} / {rootSpared.Summary}");
        bmc.FaultIncludesServiceRoot = true;
        var root401 = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
        Check("fault RefuseCredentials: 401 always (root too by default)", root401.Status == HttpStatusCode.Unauthorized, root401.Summary);

        bmc.Fault = RedfishFault.MissingLinks;
        var empty = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        var managers = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/Managers");
        Check("fault MissingLinks: Systems has no members, Managers untouched",
            empty.Json?["Members"]?.AsArray().Count == 0 && (int?)empty.Json?["Members@odata.count"] == 0 &&
            managers.Json?["Members"]?.AsArray().Count > 0, empty.Summary);

        bmc.Fault = RedfishFault.Slow;
        bmc.SlowDelay = TimeSpan.FromMilliseconds(300);
        var sw2 = Stopwatch.StartNew();
        var slow = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        Check("fault Slow: response delayed >= 300 ms", slow.Status == HttpStatusCode.OK && sw2.ElapsedMilliseconds >= 290,
            $"{sw2.ElapsedMilliseconds} ms");

        bmc.Fault = RedfishFault.None;
        bmc.ResponseRewriter = (path, node) =>
        {
            if (path == RackSystem + "/EthernetInterfaces/12446A3B0411")
            {
                node.AsObject().Remove("MACAddress");
            }

            return path == RackSystem + "/EthernetInterfaces/VLAN1" ? null : node;
        };
        var rewritten = await SendAsync(bmc, HttpMethod.Get, RackSystem + "/EthernetInterfaces/12446A3B0411");
        var hidden = await SendAsync(bmc, HttpMethod.Get, RackSystem + "/EthernetInterfaces/VLAN1");
        Check("rewriter: field removed, null -> 404",
            rewritten.Status == HttpStatusCode.OK && rewritten.Json?["MACAddress"] is null && hidden.Status == HttpStatusCode.NotFound,
            $"{rewritten.Summary} / {hidden.Summary}");

        bmc.ResetState();
        bmc.Resources.Remove(RackSystem + "/EthernetInterfaces/VLAN1");
        var removed = await SendAsync(bmc, HttpMethod.Get, RackSystem + "/EthernetInterfaces/VLAN1");
        Check("resources: Remove -> 404 on this BMC only",
            removed.Status == HttpStatusCode.NotFound && bmc.Mockup.Contains(RackSystem + "/EthernetInterfaces/VLAN1"), removed.Summary);

        // Stopping must not wait for a request held by the Timeout fault.
        bmc.Fault = RedfishFault.Timeout;
        bmc.TimeoutHold = TimeSpan.FromSeconds(60);
        var held = _http.GetAsync(bmc.ServiceRootUrl);
        await Task.Delay(200);
        var port = bmc.Port;
        var stopwatch = Stopwatch.StartNew();
        await bmc.StopAsync();
        var heldFailed = await Task.WhenAny(held, Task.Delay(5000)) == held && held.IsFaulted;
        Check("stop: held request released, quick stop", heldFailed && stopwatch.Elapsed < TimeSpan.FromSeconds(3),
            $"{stopwatch.ElapsedMilliseconds} ms");
        Check("stop: port closed (connection refused)", !await CanConnectAsync(port));
    }

    private async Task CheckHttpsAsync(string folder)
    {
        await using var bmc = new RedfishBmcSimulator(folder) { UseHttps = true };
        await bmc.StartAsync();
        var insecure = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
        Check("https: works with certificate check off", insecure.Status == HttpStatusCode.OK && bmc.BaseUrl.StartsWith("https://", StringComparison.Ordinal),
            $"{bmc.BaseUrl} {insecure.Summary}");
        using var strict = new HttpClient();
        var rejected = false;
        try
        {
            await strict.GetAsync(bmc.ServiceRootUrl);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            rejected = true;
        }

        Check("https: default certificate validation rejects the self-signed certificate", rejected);
    }

    private async Task CheckFarmAsync(string folder, int count)
    {
        var label = Path.GetFileName(folder);
        RedfishMockup.Load(folder); // mockup load is not part of the farm's cost
        var before = Memory();
        var threadsBefore = ThreadCount();

        var farm = await RedfishFixtureFarm.StartAsync(folder, count);
        var started = Memory();
        var ports = farm.Endpoints.Select(e => e.Port).ToArray();
        Check($"farm {label}: {count} BMCs on distinct ports", ports.Distinct().Count() == count);

        // One authenticated walk step per BMC, 32 at a time, to include connection state in the memory figure.
        var sw = Stopwatch.StartNew();
        var ok = 0;
        await Parallel.ForEachAsync(farm.Simulators, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (bmc, _) =>
        {
            var root = await SendAsync(bmc, HttpMethod.Get, "/redfish/v1/", auth: false);
            var systems = await SendAsync(bmc, HttpMethod.Get, SystemsPath);
            if (root.Status == HttpStatusCode.OK && systems.Status == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref ok);
            }
        });
        var traffic = sw.Elapsed;
        var afterTraffic = Memory();
        var threads = ThreadCount();
        Check($"farm {label}: every BMC answers root + Systems", ok == count, $"{ok}/{count} in {traffic.TotalMilliseconds:F0} ms");

        sw.Restart();
        await farm.DisposeAsync();
        var stopTime = sw.Elapsed;
        var reopened = 0;
        foreach (var port in ports.Take(16))
        {
            if (!await CanConnectAsync(port))
            {
                reopened++;
            }
        }

        Check($"farm {label}: ports freed after dispose", reopened == 16, $"stop {stopTime.TotalMilliseconds:F0} ms");
        Console.WriteLine($"      farm {label} x{count}: start {farm.StartDuration.TotalMilliseconds:F0} ms; " +
                          $"working set +{(started.WorkingSet - before.WorkingSet) / 1048576.0:F1} MiB after start, " +
                          $"+{(afterTraffic.WorkingSet - before.WorkingSet) / 1048576.0:F1} MiB after traffic " +
                          $"(process {afterTraffic.WorkingSet / 1048576.0:F0} MiB); managed heap +{(started.Managed - before.Managed) / 1048576.0:F1} MiB " +
                          $"after start, +{(afterTraffic.Managed - before.Managed) / 1048576.0:F1} MiB after traffic; threads {threadsBefore} -> {threads}");
    }

    private static (long WorkingSet, long Managed) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    private static int ThreadCount()
    {
        using var self = Process.GetCurrentProcess();
        return self.Threads.Count;
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<Reply> SendAsync(RedfishBmcSimulator bmc, HttpMethod method, string path, bool auth = true,
        (string User, string Password)? basic = null, string? token = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, bmc.BaseUrl + path);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        else if (auth || basic is not null)
        {
            var (user, password) = basic ?? (bmc.Username, bmc.Password);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new Reply(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, json);
    }

    private static string? Str(JsonNode? node, string property) => RedfishJson.GetString(node, property);

    private readonly record struct Reply(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, JsonNode? Json)
    {
        public string Summary => $"{(int)Status}";
    }
}
