using System.Collections;
using System.Management.Automation;
using OpenChami.Core.Discovery;
using OpenChami.Core.Errors;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// What Find-ChamiBmc and Invoke-ChamiDiscovery share: the targets (-Subnet, -Address, -Port, -Scheme, or
/// Find-ChamiBmc output piped in), throttle and timeouts, and the pump that carries Core's progress and results
/// from worker threads onto the pipeline thread.
/// </summary>
public abstract class BmcTargetCmdletBase : ChamiCmdletBase
{
    private readonly List<(string[]? Subnets, string[]? Addresses, int[]? Ports, string Scheme)> requested = [];

    /// <summary>IPv4 subnets in CIDR form (172.16.0.0/24); every host address is probed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CIDR")]
    public string[]? Subnet { get; set; }

    /// <summary>Hosts: name, IP, host:port, [v6]:port or an http(s) URL.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FQDN", "Host", "IPAddress")]
    public string[]? Address { get; set; }

    /// <summary>Ports to probe where an address names none (default 443).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int[]? Port { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("https", "http")]
    public string Scheme { get; set; } = "https";

    /// <summary>Targets worked on at the same time (default 64).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 64;

    /// <summary>Timeout of each request in seconds (the TCP connect gets at most 2 s of it).</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 5;

    /// <summary>
    /// Accept self-signed BMC certificates (verification is on by default). PowerShell's name for it, as on
    /// Invoke-RestMethod and the power cmdlets; -Insecure is the old name. Discovery remembers it per endpoint.
    /// </summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    protected override void ProcessRecord()
    {
        if (Subnet is null && Address is null) return;
        requested.Add((Subnet, Address, Port, Scheme));
    }

    /// <summary>Adds targets (e.g. endpoints already in the inventory) as if they had been given with -Address.</summary>
    protected void AddTargets(string[] addresses, string scheme) => requested.Add((null, addresses, null, scheme));

    /// <summary>All targets named so far, expanded and de-duplicated; a bad entry terminates with a clear error.</summary>
    protected IReadOnlyList<DiscoveryTarget> ResolveTargets()
    {
        if (requested.Count == 0)
        {
            ThrowChamiError(ChamiException.Invalid("NoTargets", "Give -Subnet, -Address or -KnownEndpoints (or pipe Find-ChamiBmc output)"));
        }
        try
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return requested
                .SelectMany(r => DiscoveryTargets.Expand(r.Subnets, r.Addresses, r.Ports, r.Scheme))
                .Where(t => seen.Add(t.ToString()))
                .ToList();
        }
        catch (ChamiException e)
        {
            ThrowChamiError(e, e.Target);
            throw; // unreachable
        }
    }

    protected DiscoveryOptions BaseOptions() => new()
    {
        ThrottleLimit = ThrottleLimit,
        ConnectTimeout = TimeSpan.FromSeconds(Math.Min(2, TimeoutSec)),
        ProbeTimeout = TimeSpan.FromSeconds(TimeoutSec),
        RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
        SkipCertificateCheck = SkipCertificateCheck,
    };

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and writes what it reports (objects, progress) from this
    /// thread, as the pipeline requires. Ctrl+C cancels <see cref="ChamiCmdletBase.StopToken"/>, which Core honours.
    /// </summary>
    protected T Pump<T>(Func<Action<object>, CancellationToken, Task<T>> work, Action<object> write)
    {
        using var events = new System.Collections.Concurrent.BlockingCollection<object>();
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(e => events.Add(e), StopToken).ConfigureAwait(false);
            }
            finally
            {
                events.CompleteAdding();
            }
        });
        foreach (var e in events.GetConsumingEnumerable())
        {
            if (!Stopping) write(e);
        }
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (ChamiException e)
        {
            ThrowChamiError(e, e.Target);
            throw; // unreachable
        }
    }

    protected static ProgressRecord Progress(int activityId, string activity, DiscoveryProgress p)
    {
        var record = new ProgressRecord(activityId, activity,
            $"{p.Completed} of {p.Total} targets, {p.Found} BMCs, {p.Failed} failed")
        {
            PercentComplete = p.Total == 0 ? 100 : (int)(100L * p.Completed / p.Total),
            CurrentOperation = p.Current,
        };
        return record;
    }

    /// <summary>-Credential for all, plus a hashtable of host / host:port / CIDR / 'default' → PSCredential.</summary>
    protected BmcCredentialMap BuildCredentials(PSCredential? credential, Hashtable? map)
    {
        var result = BmcCredentialMap.ForAll(credential?.GetNetworkCredential());
        foreach (DictionaryEntry entry in map ?? [])
        {
            var key = entry.Key?.ToString() ?? string.Empty;
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            if (value is not PSCredential cred)
            {
                ThrowChamiError(ChamiException.Invalid("InvalidCredentialMap",
                    $"-CredentialMap entry '{key}' must be a PSCredential (Get-Credential), not {value?.GetType().Name ?? "null"}", key));
                return result;
            }
            try
            {
                result.Add(key, cred.GetNetworkCredential());
            }
            catch (ChamiException e)
            {
                ThrowChamiError(ChamiException.Invalid("InvalidCredentialMap", $"-CredentialMap key '{key}': {e.Message}", key));
            }
        }
        return result;
    }

    /// <summary>-XnameMap: a hashtable (IP / IP:port / MAC / serial → BMC xname) or the path of a JSON or CSV file.</summary>
    protected XnameMap? BuildXnameMap(object? map)
    {
        var value = map is PSObject ps ? ps.BaseObject : map;
        try
        {
            return value switch
            {
                null => null,
                IDictionary table => XnameMap.FromPairs(table.Cast<DictionaryEntry>()
                    .Select(e => KeyValuePair.Create(e.Key?.ToString() ?? string.Empty, (e.Value is PSObject p ? p.BaseObject : e.Value)?.ToString() ?? string.Empty))),
                string path => XnameMap.Load(GetUnresolvedProviderPathFromPSPath(path)),
                System.IO.FileInfo file => XnameMap.Load(file.FullName),
                _ => throw ChamiException.Invalid("InvalidXnameMap", $"-XnameMap takes a hashtable or a file path, not {value.GetType().Name}"),
            };
        }
        catch (ChamiException e)
        {
            ThrowChamiError(e, e.Target);
            throw; // unreachable
        }
    }
}
