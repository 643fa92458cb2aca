using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenChami.Core.Power;

/// <summary>Settings of the Redfish power engine (timeouts, retries, polling, TLS).</summary>
public sealed class PowerEngineOptions
{
    /// <summary>Timeout of one Redfish request (spec: 30 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request when the BMC can't be reached or answers 5xx (spec: 3).</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Pause before a retry (doubles per attempt).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>First poll after a reset; later polls back off ×1.5 up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan FirstPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest pause between two power-state polls of one component.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Environment variable: <c>1</c>/<c>true</c> makes <see cref="SkipCertificateCheck"/> the default (servers under systemd).</summary>
    public const string SkipCertificateCheckVariable = "OPENCHAMI_BMC_SKIP_CERTIFICATE_CHECK";

    /// <summary>Environment variable: scheme for BMC addresses that have none (<c>https</c> unless set to <c>http</c>).</summary>
    public const string SchemeVariable = "OPENCHAMI_BMC_SCHEME";

    /// <summary>Scheme used when a BMC address has none (Redfish is HTTPS).</summary>
    public string DefaultScheme { get; set; } =
        Environment.GetEnvironmentVariable(SchemeVariable) is { } scheme && scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? "http" : "https";

    /// <summary>Accept any BMC certificate (BMCs usually have self-signed ones). Off unless asked for.</summary>
    public bool SkipCertificateCheck { get; set; } =
        Environment.GetEnvironmentVariable(SkipCertificateCheckVariable) is "1" or "true" or "True" or "TRUE";

    /// <summary>Requests in flight per BMC (spec §4.6: at most 2).</summary>
    public int MaxRequestsPerBmc { get; set; } = 2;

    /// <summary>Clock of request timeouts, retry pauses, polling and durations (tests inject a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public PowerEngineOptions Clone() => (PowerEngineOptions)MemberwiseClone();
}

/// <summary>A Redfish request that failed; the message says why in operator terms (never with credentials).</summary>
public sealed class RedfishRequestException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}

/// <summary>
/// The Redfish calls power control needs: read PowerState, read ActionInfo, POST a reset. HTTP Basic
/// auth per request (no session to leak or expire mid-operation), bounded retries and timeouts.
/// </summary>
public sealed class RedfishPowerClient : IDisposable
{
    private readonly PowerEngineOptions options;
    private readonly HttpClient verifying;
    private readonly Lazy<HttpClient> skipping;

    public RedfishPowerClient(PowerEngineOptions options)
    {
        this.options = options;
        verifying = CreateClient(options, skipCertificateCheck: false);
        skipping = new Lazy<HttpClient>(() => CreateClient(options, skipCertificateCheck: true));
    }

    private static HttpClient CreateClient(PowerEngineOptions options, bool skipCertificateCheck)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = Math.Max(1, options.MaxRequestsPerBmc),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (skipCertificateCheck)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The call's -SkipCertificateCheck applies to every BMC; without it, each BMC's remembered choice.</summary>
    private HttpClient ClientFor(PowerTarget target) =>
        options.SkipCertificateCheck || target.SkipCertificateCheck ? skipping.Value : verifying;

    public PowerEngineOptions Options => options;

    /// <summary>The component's Redfish <c>PowerState</c> (On, Off, PoweringOn, PoweringOff) or null when it reports none.</summary>
    public async Task<string?> GetPowerStateAsync(PowerTarget target, CancellationToken cancellationToken)
    {
        var body = await SendAsync(target, HttpMethod.Get, target.SystemPath, null, cancellationToken).ConfigureAwait(false);
        return (body as JsonObject)?["PowerState"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>ResetType AllowableValues from the action's @Redfish.ActionInfo resource (EX425 style), or empty.</summary>
    public async Task<IReadOnlyList<string>> GetActionInfoAllowableValuesAsync(PowerTarget target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(target.ActionInfo)) return [];
        var body = await SendAsync(target, HttpMethod.Get, target.ActionInfo, null, cancellationToken).ConfigureAwait(false);
        if (body?["Parameters"] is not JsonArray parameters) return [];
        foreach (var parameter in parameters)
        {
            if (parameter?["Name"]?.GetValue<string>() == "ResetType" && parameter["AllowableValues"] is JsonArray values)
            {
                return values.OfType<JsonValue>().Select(x => x.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
            }
        }

        return [];
    }

    /// <summary>POSTs <c>{"ResetType":"<paramref name="resetType"/>"}</c> to the reset target.</summary>
    public async Task ResetAsync(PowerTarget target, string resetType, CancellationToken cancellationToken)
    {
        var json = new JsonObject { ["ResetType"] = resetType }.ToJsonString();
        await SendAsync(target, HttpMethod.Post, target.ResetTarget, json, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonNode?> SendAsync(PowerTarget target, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        var url = BuildUrl(target.BmcBaseUrl, path);
        var attempts = Math.Max(1, options.Attempts);
        for (var attempt = 1; ; attempt++)
        {
            using var deadline = new CancellationTokenSource(options.RequestTimeout, options.TimeProvider);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            using var request = new HttpRequestMessage(method, url);
            if (target.Credential is { } credential)
            {
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(credential.BasicAuthorization);
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            bool retryable;
            string failure;
            int? status = null;
            Exception? inner = null;
            try
            {
                using var response = await ClientFor(target).SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return string.IsNullOrWhiteSpace(text) ? null : TryParse(text);
                }

                status = (int)response.StatusCode;
                retryable = status >= 500;
                failure = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => $"the BMC rejected the credentials (401) for {method} {path}",
                    HttpStatusCode.Forbidden => $"the BMC refused {method} {path} (403 Forbidden)",
                    _ => $"{method} {path} answered {(int)response.StatusCode} {response.ReasonPhrase}{RedfishMessage(text)}",
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request that timed out may still have been acted on: never repeat it blindly.
                throw new RedfishRequestException($"the BMC at {target.BmcBaseUrl} did not answer {method} {path} within {options.RequestTimeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException ex) when (Errors.ExceptionChain.Find<System.Security.Authentication.AuthenticationException>(ex) is not null)
            {
                // Retrying cannot change a certificate: say which switch accepts it.
                throw new RedfishRequestException(
                    $"cannot reach the BMC at {target.BmcBaseUrl}: {ex.Message} {Errors.ExceptionChain.Innermost(ex).Message} (self-signed BMC certificate? " +
                    $"use -SkipCertificateCheck, or remember it for this BMC: Set-ChamiRedfishEndpoint {target.BmcXname} -SkipCertificateCheck)", null, ex);
            }
            catch (HttpRequestException ex)
            {
                retryable = true;
                inner = ex;
                failure = ex.InnerException is SocketException socket
                    ? $"cannot reach the BMC at {target.BmcBaseUrl}: {socket.SocketErrorCode switch { SocketError.ConnectionRefused => "connection refused", SocketError.HostNotFound => "host not found", SocketError.TimedOut => "connect timed out", _ => socket.Message }}"
                    : $"cannot reach the BMC at {target.BmcBaseUrl}: {ex.Message}";
            }

            if (!retryable || attempt >= attempts)
            {
                throw new RedfishRequestException(attempt > 1 ? $"{failure} (after {attempt} attempts)" : failure, status, inner);
            }

            deadline.Dispose(); // this attempt is over: its timeout stops counting during the pause
            await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1), options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string BuildUrl(string baseUrl, string path) =>
        path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? path
            : baseUrl.TrimEnd('/') + "/" + path.TrimStart('/');

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // The first human-readable message of a Redfish error body, if any.
    private static string RedfishMessage(string text)
    {
        var error = TryParse(text)?["error"];
        var message = (error?["@Message.ExtendedInfo"] as JsonArray)?.FirstOrDefault()?["Message"]?.ToString() ?? error?["message"]?.ToString();
        return string.IsNullOrWhiteSpace(message) ? string.Empty : $": {message}";
    }

    public void Dispose()
    {
        verifying.Dispose();
        if (skipping.IsValueCreated) skipping.Value.Dispose();
    }
}
