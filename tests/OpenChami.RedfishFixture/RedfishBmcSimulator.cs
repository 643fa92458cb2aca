using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenChami.RedfishFixture;

/// <summary>
/// One simulated BMC: a loopback HTTP(S) listener serving a mockup with Basic auth, Redfish sessions,
/// reset actions that move <c>PowerState</c>, a request log and injectable faults.
/// Configure <see cref="Port"/>, <see cref="UseHttps"/> and <see cref="Certificate"/> before
/// <see cref="StartAsync"/>; everything else may change while it runs.
/// </summary>
public sealed class RedfishBmcSimulator : IAsyncDisposable
{
    /// <summary>Default BMC user name.</summary>
    public const string DefaultUsername = "admin";

    /// <summary>Default BMC password.</summary>
    public const string DefaultPassword = "password";

    private const string DefaultSessionsPath = "/redfish/v1/SessionService/Sessions";

    // DMTF ResetType enum: what a Reset accepts when the resource advertises no allowable values.
    private static readonly FrozenSet<string> KnownResetTypes = new[]
    {
        "On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn",
        "PushPowerButton", "PowerCycle", "Suspend", "Pause", "Resume", "FullPowerCycle", "StatefulReset",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly byte[] RedfishVersionsBody = "{\"v1\":\"/redfish/v1/\"}"u8.ToArray();

    private readonly RedfishSessionStore _sessions = new();
    private readonly Lock _requestsLock = new();
    private readonly List<RedfishRequestRecord> _requests = [];
    private readonly Lock _powerLock = new();
    // Delayed transitions: resource -> (final state, when it is reached on Clock). Settled lazily whenever
    // the state is looked at, so a transition takes exactly PowerTransitionDelay on an injected clock.
    private readonly Dictionary<string, (string Target, DateTimeOffset Due)> _pendingTransitions = new(StringComparer.Ordinal);
    private volatile int _pendingCount;
    private volatile TimeProvider _clock = TimeProvider.System;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly string _sessionsPath;

    private BmcKestrelHost? _host;
    private bool _ownsHost;
    private int _port;
    private bool _useHttps;
    private X509Certificate2? _certificate;
    private volatile RedfishFault _fault;
    private volatile bool _faultIncludesServiceRoot = true;
    private volatile bool _requireAuthentication = true;
    private volatile bool _recordRequests = true;
    private volatile string _username = DefaultUsername;
    private volatile string _password = DefaultPassword;
    private volatile Func<string, JsonNode, JsonNode?>? _responseRewriter;
    private volatile IReadOnlyCollection<string> _missingLinksPaths = ["/redfish/v1/Systems"];
    private long _slowDelayTicks = TimeSpan.FromMilliseconds(500).Ticks;
    private long _timeoutHoldTicks = TimeSpan.FromSeconds(60).Ticks;
    private long _powerTransitionDelayTicks;

    /// <summary>Creates a simulator for a mockup folder (loaded once per process).</summary>
    public RedfishBmcSimulator(string mockupFolder)
        : this(RedfishMockup.Load(mockupFolder))
    {
    }

    /// <summary>Creates a simulator with its own copy-on-write view of <paramref name="mockup"/>.</summary>
    public RedfishBmcSimulator(RedfishMockup mockup)
    {
        ArgumentNullException.ThrowIfNull(mockup);
        Mockup = mockup;
        Resources = mockup.CreateTree();
        var root = Resources.Get(RedfishMockup.ServiceRootPath);
        _sessionsPath = RedfishMockup.NormalizePath(RedfishJson.GetString(root?["Links"]?["Sessions"], "@odata.id"))
            ?? DefaultSessionsPath;
    }

    /// <summary>The shared, read-only mockup.</summary>
    public RedfishMockup Mockup { get; }

    /// <summary>This BMC's resources; change them to build variants (PowerState, missing members, ...).</summary>
    public RedfishResourceTree Resources { get; }

    /// <summary>Free-form label for diagnostics (the farm sets "bmc-&lt;index&gt;").</summary>
    public string? Name { get; set; }

    /// <summary>Always the IPv4 loopback: the fixture never listens elsewhere.</summary>
    public string Address => "127.0.0.1";

    /// <summary>Before start: the port to bind (0 = any free port). After start: the bound port.</summary>
    public int Port
    {
        get => _port;
        set
        {
            ThrowIfStarted();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _port = value;
        }
    }

    /// <summary>Serve HTTPS with a self-signed certificate (set before start), so clients must skip verification.</summary>
    public bool UseHttps
    {
        get => _useHttps;
        set
        {
            ThrowIfStarted();
            _useHttps = value;
        }
    }

    /// <summary>The HTTPS certificate; defaults to one self-signed certificate shared by the process (CN "OpenChami Redfish fixture", SAN 127.0.0.1/localhost).</summary>
    public X509Certificate2 Certificate
    {
        get => _certificate ?? SelfSignedCertificate.Shared;
        set
        {
            ThrowIfStarted();
            _certificate = value;
        }
    }

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => _host is not null && !_lifetime.IsCancellationRequested;

    /// <summary><c>http(s)://127.0.0.1:&lt;port&gt;</c>, what discovery would be given as a target.</summary>
    public string BaseUrl => $"{(UseHttps ? "https" : "http")}://{Address}:{Port}";

    /// <summary><c>&lt;BaseUrl&gt;/redfish/v1/</c>.</summary>
    public string ServiceRootUrl => BaseUrl + "/redfish/v1/";

    /// <summary>Endpoint in the form written to the ports list.</summary>
    public RedfishBmcEndpoint Endpoint => new(Address, Port);

    /// <summary>BMC user name for Basic auth and session login.</summary>
    public string Username
    {
        get => _username;
        set => _username = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>BMC password for Basic auth and session login.</summary>
    public string Password
    {
        get => _password;
        set => _password = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>When false every resource is readable without credentials (the service root always is).</summary>
    public bool RequireAuthentication
    {
        get => _requireAuthentication;
        set => _requireAuthentication = value;
    }

    /// <summary>
    /// Clock of request timestamps and delayed power transitions (default the system clock). Tests share a fake
    /// clock with the code under test so a transition takes exactly <see cref="PowerTransitionDelay"/> of it.
    /// </summary>
    public TimeProvider Clock
    {
        get => _clock;
        set => _clock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>When positive, a reset first shows PoweringOn/PoweringOff and reaches the final state after this delay.</summary>
    public TimeSpan PowerTransitionDelay
    {
        get => new(Interlocked.Read(ref _powerTransitionDelayTicks));
        set => Interlocked.Exchange(ref _powerTransitionDelayTicks, value.Ticks);
    }

    /// <summary>The injected fault; <see cref="RedfishFault.None"/> for a healthy BMC.</summary>
    public RedfishFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>
    /// Whether <see cref="Fault"/> also hits the unauthenticated service root (default true). Set false to let
    /// the probe succeed and make only the authenticated walk fail (e.g. 500 on everything but the root).
    /// </summary>
    public bool FaultIncludesServiceRoot
    {
        get => _faultIncludesServiceRoot;
        set => _faultIncludesServiceRoot = value;
    }

    /// <summary>Delay per response under <see cref="RedfishFault.Slow"/> (default 500 ms).</summary>
    public TimeSpan SlowDelay
    {
        get => new(Interlocked.Read(ref _slowDelayTicks));
        set => Interlocked.Exchange(ref _slowDelayTicks, value.Ticks);
    }

    /// <summary>How long <see cref="RedfishFault.Timeout"/> holds a request before dropping the connection (default 60 s).</summary>
    public TimeSpan TimeoutHold
    {
        get => new(Interlocked.Read(ref _timeoutHoldTicks));
        set => Interlocked.Exchange(ref _timeoutHoldTicks, value.Ticks);
    }

    /// <summary>Collections returned without members under <see cref="RedfishFault.MissingLinks"/> (default: Systems).</summary>
    public IReadOnlyCollection<string> MissingLinksPaths
    {
        get => _missingLinksPaths;
        set => _missingLinksPaths = (value ?? throw new ArgumentNullException(nameof(value)))
            .Select(p => RedfishMockup.NormalizePath(p) ?? p).ToArray();
    }

    /// <summary>
    /// Rewrites every JSON resource served by GET: called with the canonical path (<c>/redfish/v1/...</c>) and a
    /// private copy of the resource; return the body to send, or null to answer 404. Affects responses only,
    /// not the state that actions validate against.
    /// </summary>
    public Func<string, JsonNode, JsonNode?>? ResponseRewriter
    {
        get => _responseRewriter;
        set => _responseRewriter = value;
    }

    /// <summary>
    /// Keep every request in <see cref="Requests"/> (default true). Turn off for long benchmarks: the log is
    /// unbounded, and a standalone fixture has nobody to read it.
    /// </summary>
    public bool RecordRequests
    {
        get => _recordRequests;
        set => _recordRequests = value;
    }

    /// <summary>Number of live Redfish sessions.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RedfishRequestRecord> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return _requests.ToArray();
            }
        }
    }

    internal int RequestedPort => _port;

    /// <summary>Forgets recorded requests (e.g. between the arrange and act steps of a test).</summary>
    public void ClearRequests()
    {
        lock (_requestsLock)
        {
            _requests.Clear();
        }
    }

    /// <summary>Back to a healthy BMC in mockup state: resources, sessions, requests, fault and hooks reset.</summary>
    public void ResetState()
    {
        lock (_powerLock)
        {
            _pendingTransitions.Clear();
            _pendingCount = 0;
            Resources.Reset();
        }

        _sessions.Clear();
        ClearRequests();
        Fault = RedfishFault.None;
        FaultIncludesServiceRoot = true;
        ResponseRewriter = null;
    }

    /// <summary>Current PowerState of a System/Chassis, or null when it has none.</summary>
    public string? GetPowerState(string resourcePath)
    {
        SettleTransitions();
        return RedfishJson.GetString(Resources.Get(resourcePath), "PowerState");
    }

    /// <summary>Sets PowerState directly (arrange step of a test); cancels a pending delayed transition.</summary>
    public void SetPowerState(string resourcePath, string powerState)
    {
        var key = RedfishMockup.NormalizePath(resourcePath)
            ?? throw new ArgumentException($"'{resourcePath}' is not a /redfish/v1 path.", nameof(resourcePath));
        lock (_powerLock)
        {
            _pendingTransitions.Remove(key);
            _pendingCount = _pendingTransitions.Count;
            Resources.Update(key, r => r["PowerState"] = powerState);
        }
    }

    /// <summary>Starts a dedicated Kestrel listener for this BMC.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfStarted();
        await BmcKestrelHost.StartAsync([this], simulatorOwnsHost: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops answering: held (Timeout) requests and pending power transitions are released. A standalone
    /// simulator also closes its port; in a farm the port stays bound until the farm is disposed and
    /// new requests get their connection dropped. A stopped simulator can't be started again.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_lifetime.IsCancellationRequested)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }

        if (_ownsHost && _host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"{Name ?? "bmc"} {BaseUrl} ({Path.GetFileName(Mockup.Folder)})";

    internal void Attach(BmcKestrelHost host, int port, bool ownsHost)
    {
        _host = host;
        _port = port;
        _ownsHost = ownsHost;
    }

    internal async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Method.ToUpperInvariant();
        var path = request.Path.Value ?? "/";
        SettleTransitions();
        var body = method is "POST" or "PUT" or "PATCH" ? await ReadBodyAsync(request, context.RequestAborted) : null;
        var (user, authMethod, authenticated) = Authenticate(request);
        var record = new RedfishRequestRecord(Clock.GetUtcNow(), method, path, request.QueryString.Value ?? "", body, user, authMethod)
        {
            Authenticated = authenticated,
        };
        if (RecordRequests)
        {
            lock (_requestsLock)
            {
                _requests.Add(record);
            }
        }

        try
        {
            var answered = await ProcessAsync(context, method, path, body, authenticated);
            record.StatusCode = answered ? context.Response.StatusCode : 0;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _lifetime.IsCancellationRequested)
        {
            context.Abort(); // client gone or simulator stopping: nothing to answer
        }
        catch
        {
            record.StatusCode = StatusCodes.Status500InternalServerError; // e.g. a throwing ResponseRewriter; Kestrel answers 500
            throw;
        }
    }

    // Returns false when the connection was dropped instead of answered.
    private async Task<bool> ProcessAsync(HttpContext context, string method, string path, string? body, bool authenticated)
    {
        if (_lifetime.IsCancellationRequested)
        {
            context.Abort();
            return false;
        }

        var key = RedfishMockup.NormalizePath(path);
        var isVersions = path.TrimEnd('/') == "/redfish";
        var isRoot = isVersions || key == RedfishMockup.ServiceRootPath;
        var fault = Fault;
        var faulted = fault != RedfishFault.None && (FaultIncludesServiceRoot || !isRoot);
        if (faulted)
        {
            switch (fault)
            {
                case RedfishFault.Slow:
                    await DelayAsync(context, SlowDelay);
                    break;
                case RedfishFault.Timeout:
                    await HoldAsync(context);
                    return false;
                case RedfishFault.ServerError:
                    await WriteJsonAsync(context, StatusCodes.Status500InternalServerError, RedfishErrors.InternalError());
                    return true;
                case RedfishFault.RefuseCredentials:
                    await WriteUnauthorizedAsync(context);
                    return true;
            }
        }

        if (isVersions)
        {
            await (IsGet(method)
                ? WriteJsonAsync(context, StatusCodes.Status200OK, RedfishVersionsBody)
                : WriteMethodNotAllowedAsync(context, method, path));
            return true;
        }

        if (key is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(path));
            return true;
        }

        // Unauthenticated on real BMCs: the service root (for probing) and session login.
        if (key == RedfishMockup.ServiceRootPath && IsGet(method))
        {
            await ServeResourceAsync(context, key, missingLinks: false);
            return true;
        }

        if (key == _sessionsPath && method == "POST")
        {
            await LoginAsync(context, body);
            return true;
        }

        if (RequireAuthentication && !authenticated)
        {
            await WriteUnauthorizedAsync(context);
            return true;
        }

        switch (method)
        {
            case "GET" or "HEAD":
                await ServeResourceAsync(context, key, faulted && fault == RedfishFault.MissingLinks);
                break;
            case "POST":
                await PostAsync(context, key, body);
                break;
            case "DELETE" when key.StartsWith(_sessionsPath + "/", StringComparison.Ordinal):
                await LogoutAsync(context, key[(_sessionsPath.Length + 1)..]);
                break;
            default:
                await (Resources.Contains(key)
                    ? WriteMethodNotAllowedAsync(context, method, key)
                    : WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(key)));
                break;
        }

        return true;
    }

    private (string? User, RedfishAuthMethod Method, bool Authenticated) Authenticate(HttpRequest request)
    {
        var refuse = Fault == RedfishFault.RefuseCredentials;
        var token = request.Headers["X-Auth-Token"].ToString();
        if (token.Length > 0)
        {
            var session = _sessions.FindByToken(token);
            return (session?.UserName, RedfishAuthMethod.Session, session is not null && !refuse);
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, RedfishAuthMethod.None, false);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return (null, RedfishAuthMethod.Basic, false);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var user = colon >= 0 ? decoded[..colon] : decoded;
        var password = colon >= 0 ? decoded[(colon + 1)..] : "";
        return (user, RedfishAuthMethod.Basic, !refuse && user == Username && password == Password);
    }

    private async Task ServeResourceAsync(HttpContext context, string key, bool missingLinks)
    {
        JsonNode? dynamicNode = null;
        if (key == _sessionsPath)
        {
            dynamicNode = SessionCollection();
        }
        else if (key.StartsWith(_sessionsPath + "/", StringComparison.Ordinal) &&
                 _sessions.FindById(key[(_sessionsPath.Length + 1)..]) is { } session)
        {
            dynamicNode = SessionResource(session);
        }

        byte[] utf8;
        if (dynamicNode is null)
        {
            if (!Resources.TryGetUtf8(key, out utf8))
            {
                await WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(key));
                return;
            }
        }
        else
        {
            utf8 = RedfishJson.ToUtf8(dynamicNode);
        }

        var dropMembers = missingLinks && MissingLinksPaths.Contains(key);
        var rewriter = ResponseRewriter;
        if (dropMembers || rewriter is not null)
        {
            JsonNode? node = JsonNode.Parse(utf8)!;
            if (dropMembers && node is JsonObject collection)
            {
                collection["Members"] = new JsonArray();
                collection["Members@odata.count"] = 0;
                collection.Remove("Members@odata.nextLink");
            }

            if (rewriter is not null)
            {
                node = rewriter(key, node);
                if (node is null)
                {
                    await WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(key));
                    return;
                }
            }

            utf8 = RedfishJson.ToUtf8(node);
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, utf8);
    }

    private async Task LoginAsync(HttpContext context, string? body)
    {
        if (!TryParseObject(body, out var args))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, RedfishErrors.MalformedJson());
            return;
        }

        var user = RedfishJson.GetString(args, "UserName");
        var password = RedfishJson.GetString(args, "Password");
        if (user is null || password is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest,
                RedfishErrors.PropertyMissing(user is null ? "UserName" : "Password"));
            return;
        }

        if (Fault == RedfishFault.RefuseCredentials || user != Username || password != Password)
        {
            await WriteUnauthorizedAsync(context);
            return;
        }

        var session = _sessions.Create(user);
        var location = $"{_sessionsPath}/{session.Id}";
        context.Response.Headers["X-Auth-Token"] = session.Token;
        context.Response.Headers.Location = location;
        await WriteJsonAsync(context, StatusCodes.Status201Created, RedfishJson.ToUtf8(SessionResource(session)));
    }

    private async Task LogoutAsync(HttpContext context, string id)
    {
        if (_sessions.Delete(id))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound($"{_sessionsPath}/{id}"));
    }

    private async Task PostAsync(HttpContext context, string key, string? body)
    {
        var actionsAt = key.IndexOf("/Actions/", StringComparison.Ordinal);
        if (actionsAt < 0)
        {
            await (Resources.Contains(key)
                ? WriteMethodNotAllowedAsync(context, "POST", key)
                : WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(key)));
            return;
        }

        var resourceKey = key[..actionsAt];
        var resource = Resources.Get(resourceKey) as JsonObject;
        var found = resource is null ? null : FindAction(resource, key);
        if (resource is null || found is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, RedfishErrors.ResourceNotFound(key));
            return;
        }

        var (name, action) = found.Value;

        JsonObject? args = null;
        if (!string.IsNullOrWhiteSpace(body) && !TryParseObject(body, out args))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, RedfishErrors.MalformedJson());
            return;
        }

        // Only resets have semantics here; other actions (OEM, boot order, ...) are accepted and recorded.
        if (name.EndsWith(".Reset", StringComparison.Ordinal))
        {
            var actionName = name.TrimStart('#');
            var hasPowerState = resource.ContainsKey("PowerState");
            var resetType = args is not null && args.TryGetPropertyValue("ResetType", out var value) ? value : null;
            if (resetType is null)
            {
                if (hasPowerState)
                {
                    await WriteJsonAsync(context, StatusCodes.Status400BadRequest,
                        RedfishErrors.ActionParameterMissing(actionName, "ResetType"));
                    return;
                }
            }
            else
            {
                var allowed = AllowableValues(action, "ResetType") ?? KnownResetTypes;
                var text = resetType is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (text is null || !allowed.Contains(text))
                {
                    await WriteJsonAsync(context, StatusCodes.Status400BadRequest,
                        RedfishErrors.ActionParameterValueNotInList(text ?? resetType.ToJsonString(), "ResetType", actionName));
                    return;
                }

                if (hasPowerState)
                {
                    ApplyReset(resourceKey, text);
                }
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // Finds the action (also under Actions.Oem) whose target is the requested path.
    private static (string Name, JsonObject Action)? FindAction(JsonObject resource, string target)
    {
        if (resource["Actions"] is not JsonObject actions)
        {
            return null;
        }

        foreach (var container in new[] { actions, actions["Oem"] as JsonObject })
        {
            if (container is null)
            {
                continue;
            }

            foreach (var (name, value) in container)
            {
                if (value is JsonObject action &&
                    RedfishMockup.NormalizePath(RedfishJson.GetString(action, "target")) == target)
                {
                    return (name, action);
                }
            }
        }

        return null;
    }

    // Inline "<param>@Redfish.AllowableValues", else the @Redfish.ActionInfo resource (EX425), else null.
    private IReadOnlyCollection<string>? AllowableValues(JsonObject action, string parameter)
    {
        if (action[$"{parameter}@Redfish.AllowableValues"] is JsonArray inline)
        {
            return Strings(inline);
        }

        var infoPath = RedfishJson.GetString(action, "@Redfish.ActionInfo");
        if (infoPath is null || Resources.Get(infoPath)?["Parameters"] is not JsonArray parameters)
        {
            return null;
        }

        foreach (var p in parameters)
        {
            if (RedfishJson.GetString(p, "Name") == parameter && p?["AllowableValues"] is JsonArray values)
            {
                return Strings(values);
            }
        }

        return null;
    }

    private static string[] Strings(JsonArray array) =>
        array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray();

    private void ApplyReset(string resourceKey, string resetType)
    {
        lock (_powerLock)
        {
            var current = GetPowerState(resourceKey);
            var target = PowerTransitions.TargetState(resetType, current);
            if (target is null || (target == current && !PowerTransitions.IsRestart(resetType)))
            {
                return;
            }

            var delay = PowerTransitionDelay;
            if (delay <= TimeSpan.Zero)
            {
                _pendingTransitions.Remove(resourceKey);
                _pendingCount = _pendingTransitions.Count;
                Resources.Update(resourceKey, r => r["PowerState"] = target);
                return;
            }

            Resources.Update(resourceKey, r => r["PowerState"] = PowerTransitions.IntermediateState(target));
            _pendingTransitions[resourceKey] = (target, Clock.GetUtcNow() + delay); // a later reset owns the state now
            _pendingCount = _pendingTransitions.Count;
        }
    }

    // Applies every delayed transition whose time has come on Clock.
    private void SettleTransitions()
    {
        if (_pendingCount == 0)
        {
            return;
        }

        lock (_powerLock)
        {
            var now = Clock.GetUtcNow();
            foreach (var (key, (target, due)) in _pendingTransitions.ToList())
            {
                if (due <= now)
                {
                    _pendingTransitions.Remove(key);
                    Resources.Update(key, r => r["PowerState"] = target);
                }
            }

            _pendingCount = _pendingTransitions.Count;
        }
    }

    private JsonObject SessionCollection()
    {
        var collection = Resources.Get(_sessionsPath) as JsonObject ?? new JsonObject
        {
            ["@odata.id"] = _sessionsPath,
            ["@odata.type"] = "#SessionCollection.SessionCollection",
            ["Name"] = "Session Collection",
        };
        var members = new JsonArray();
        foreach (var session in _sessions.All)
        {
            members.Add(new JsonObject { ["@odata.id"] = $"{_sessionsPath}/{session.Id}" });
        }

        collection["Members@odata.count"] = members.Count;
        collection["Members"] = members;
        return collection;
    }

    private JsonObject SessionResource(RedfishSessionStore.Session session) => new()
    {
        ["@odata.id"] = $"{_sessionsPath}/{session.Id}",
        ["@odata.type"] = "#Session.v1_0_0.Session",
        ["Id"] = session.Id,
        ["Name"] = "User Session",
        ["UserName"] = session.UserName,
    };

    private async Task HoldAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.Token);
        try
        {
            await Task.Delay(TimeoutHold, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // client gave up or the simulator stops
        }

        context.Abort();
    }

    private async Task DelayAsync(HttpContext context, TimeSpan delay)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.Token);
        await Task.Delay(delay, linked.Token);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static bool TryParseObject(string? body, out JsonObject? result)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            result = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        return result is not null;
    }

    private static bool IsGet(string method) => method is "GET" or "HEAD";

    private static Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Redfish\"";
        return WriteJsonAsync(context, StatusCodes.Status401Unauthorized, RedfishErrors.NoValidSession());
    }

    private static Task WriteMethodNotAllowedAsync(HttpContext context, string method, string path)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        return WriteJsonAsync(context, StatusCodes.Status405MethodNotAllowed, RedfishErrors.OperationNotAllowed(method, path));
    }

    private void ThrowIfStarted()
    {
        if (_host is not null || _lifetime.IsCancellationRequested)
        {
            throw new InvalidOperationException("The simulator has already been started.");
        }
    }
}
