using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChami.Core.Discovery;

/// <summary>One GET's outcome: the status and, for 2xx JSON, the body.</summary>
internal readonly record struct RedfishResponse(int Status, JsonObject? Body);

/// <summary>
/// The HTTP side of discovery: one <see cref="HttpClient"/> per run (connection pools are per host:port anyway),
/// the unauthenticated probe, and per-BMC connections that log in once (Redfish session, else Basic)
/// and time every request out (spec/discovery-power.md §2.2-§2.3).
/// </summary>
internal sealed class RedfishHttp : IDisposable
{
    private readonly DiscoveryOptions options;

    public RedfishHttp(DiscoveryOptions options)
    {
        this.options = options;
        var handler = new SocketsHttpHandler
        {
            // A real-time backstop only: every request's own timeout (on options.TimeProvider) covers its connect too.
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false, // BMC networks are direct; never send BMC credentials through a proxy
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = 2,
            AutomaticDecompression = DecompressionMethods.All,
        };
        if (options.SkipCertificateCheck)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public DiscoveryOptions Options => options;

    public void Dispose() => Client.Dispose();

    /// <summary>A token cancelled by <paramref name="cancellationToken"/> or after <paramref name="timeout"/> on the options' clock.</summary>
    public Deadline StartDeadline(TimeSpan timeout, CancellationToken cancellationToken) => new(timeout, options.TimeProvider, cancellationToken);

    internal sealed class Deadline : IDisposable
    {
        private readonly CancellationTokenSource timer;
        private readonly CancellationTokenSource linked;

        public Deadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            timer = new CancellationTokenSource(timeout, time);
            linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        }

        public CancellationToken Token => linked.Token;

        public void Dispose()
        {
            linked.Dispose();
            timer.Dispose();
        }
    }

    /// <summary>The TCP half of the probe: null when the port accepted a connection, else the Closed result.</summary>
    public async Task<BmcProbeResult?> ConnectAsync(DiscoveryTarget target, CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        using var connect = StartDeadline(options.ConnectTimeout, cancellationToken);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        string message;
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, connect.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            message = $"no TCP connection within {options.ConnectTimeout.TotalSeconds:0.#} s";
        }
        catch (SocketException e)
        {
            message = e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message;
        }
        return new BmcProbeResult
        {
            Address = target.Host, Port = target.Port, Scheme = target.Scheme, Status = BmcProbeStatus.Closed, Message = message, Duration = options.TimeProvider.GetElapsedTime(started),
        };
    }

    /// <summary>Unauthenticated <c>GET /redfish/v1/</c> (after <see cref="ConnectAsync"/> found the port open).</summary>
    public async Task<BmcProbeResult> ProbeAsync(DiscoveryTarget target, CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        var result = new BmcProbeResult { Address = target.Host, Port = target.Port, Scheme = target.Scheme };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.BaseUrl + "/redfish/v1/");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var response = await SendAsync(request, options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            result.HttpStatus = response.Status;
            if (response.Status is 401 or 403)
            {
                result.RequiresAuthentication = true;
                return Done(BmcProbeStatus.Redfish, null);
            }
            if (response.Status == 200 && response.Body is { } root && (root.ContainsKey("RedfishVersion") || root.ContainsKey("@odata.id")))
            {
                result.RedfishVersion = RedfishJson.Str(root, "RedfishVersion");
                result.UUID = RedfishJson.Str(root, "UUID");
                result.Vendor = RedfishJson.Str(root, "Vendor");
                result.Product = RedfishJson.Str(root, "Product");
                return Done(BmcProbeStatus.Redfish, null);
            }
            return Done(BmcProbeStatus.NotRedfish, $"service root answered HTTP {response.Status}{(response.Status == 200 ? " without Redfish JSON" : string.Empty)}");
        }
        catch (RedfishRequestException e)
        {
            return Done(e.Reason switch
            {
                DiscoveryFailure.Timeout => BmcProbeStatus.Timeout,
                DiscoveryFailure.TlsError => BmcProbeStatus.TlsError,
                DiscoveryFailure.Closed => BmcProbeStatus.Closed,
                _ => BmcProbeStatus.NotRedfish,
            }, e.Message);
        }

        BmcProbeResult Done(BmcProbeStatus status, string? message)
        {
            result.Status = status;
            result.Message = message;
            result.Duration = options.TimeProvider.GetElapsedTime(started);
            return result;
        }
    }

    /// <summary>Sends with a per-request timeout; maps transport failures to <see cref="RedfishRequestException"/>.</summary>
    public async Task<RedfishResponse> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken,
        Action<HttpResponseMessage>? inspect = null)
    {
        using var deadline = StartDeadline(timeout, cancellationToken);
        var token = deadline.Token;
        try
        {
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            inspect?.Invoke(response);
            var status = (int)response.StatusCode;
            if (status is < 200 or > 299) return new RedfishResponse(status, null);
            var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (bytes.Length > MaxBodyBytes)
            {
                throw new RedfishRequestException(DiscoveryFailure.WalkFailed, $"{request.RequestUri?.AbsolutePath} is larger than {MaxBodyBytes / (1024 * 1024)} MiB", status);
            }
            if (bytes.Length == 0) return new RedfishResponse(status, null);
            try
            {
                return new RedfishResponse(status, JsonNode.Parse(bytes) as JsonObject);
            }
            catch (JsonException)
            {
                return new RedfishResponse(status, null); // not JSON: the caller treats it like a missing body
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RedfishRequestException(DiscoveryFailure.Timeout,
                $"{request.Method} {request.RequestUri?.AbsolutePath} got no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            var reason = Errors.ExceptionChain.Find<AuthenticationException>(e) is not null ? DiscoveryFailure.TlsError
                : Errors.ExceptionChain.Find<SocketException>(e) is not null || e.HttpRequestError == HttpRequestError.ConnectionError ? DiscoveryFailure.Closed
                : DiscoveryFailure.WalkFailed;
            var hint = reason == DiscoveryFailure.TlsError && !options.SkipCertificateCheck
                ? " (self-signed BMC certificate? use -SkipCertificateCheck)"
                : string.Empty;
            throw new RedfishRequestException(reason, $"{request.Method} {request.RequestUri?.AbsolutePath}: {Errors.ExceptionChain.Innermost(e).Message}{hint}", null, e);
        }
    }

    private const int MaxBodyBytes = 16 * 1024 * 1024;

}

/// <summary>An authenticated conversation with one BMC: one login, every GET timed, logout at the end.</summary>
internal sealed class RedfishConnection(RedfishHttp http, DiscoveryTarget target, NetworkCredential? credential)
{
    private string? token;
    private string? sessionLocation;
    private AuthenticationHeaderValue? basic;

    public DiscoveryTarget Target => target;

    /// <summary><c>Session</c>, <c>Basic</c> or <c>None</c>.</summary>
    public string AuthMethod => token is not null ? "Session" : basic is not null ? "Basic" : "None";

    public string? User => credential?.UserName;

    /// <summary>Redfish session login at <paramref name="sessionsPath"/>; Basic auth when sessions are not offered.</summary>
    public async Task LoginAsync(string? sessionsPath, CancellationToken cancellationToken)
    {
        if (credential is null) return;
        if (sessionsPath is not null)
        {
            var body = new JsonObject { ["UserName"] = credential.UserName, ["Password"] = credential.Password }.ToJsonString();
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(sessionsPath))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            string? newToken = null, location = null;
            var response = await http.SendAsync(request, http.Options.RequestTimeout, cancellationToken, r =>
            {
                newToken = r.Headers.TryGetValues("X-Auth-Token", out var values) ? values.FirstOrDefault() : null;
                location = r.Headers.Location?.ToString();
            }).ConfigureAwait(false);
            if (response.Status is >= 200 and <= 299 && !string.IsNullOrEmpty(newToken))
            {
                token = newToken;
                sessionLocation = location;
                return;
            }
        }
        // No session service, or it refused us: Basic. A refused credential shows on the first GET.
        basic = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}")));
    }

    /// <summary>GET a resource. 401/403 throw <see cref="DiscoveryFailure.AuthFailed"/>; other statuses come back.</summary>
    public async Task<RedfishResponse> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Resolve(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Authorize(request);
        var response = await http.SendAsync(request, http.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (response.Status is 401 or 403)
        {
            throw new RedfishRequestException(DiscoveryFailure.AuthFailed, credential is null
                ? $"{path} requires credentials and none were given for {target} (use -Credential)"
                : $"the BMC refused the credential of user '{credential.UserName}' (HTTP {response.Status} on {path})", response.Status);
        }
        return response;
    }

    /// <summary>Deletes the session (best effort: a BMC with too many sessions locks operators out).</summary>
    public async Task LogoutAsync()
    {
        if (token is null || sessionLocation is null) return;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, Resolve(sessionLocation));
            Authorize(request);
            await http.SendAsync(request, http.Options.RequestTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RedfishRequestException)
        {
            // The session times out on the BMC by itself.
        }
        finally
        {
            token = null;
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        else if (basic is not null) request.Headers.Authorization = basic;
    }

    /// <summary>
    /// Links are followed as the BMC gave them, but always against this BMC: an absolute link to another host
    /// would otherwise receive the credential.
    /// </summary>
    private Uri Resolve(string link) => Uri.TryCreate(link, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
        ? new Uri(new Uri(target.BaseUrl), absolute.PathAndQuery)
        : new Uri(new Uri(target.BaseUrl), link);
}
