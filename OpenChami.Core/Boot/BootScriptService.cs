using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>
/// Builds iPXE boot scripts (spec/bss.md §5) from the live store: every request reads one consistent snapshot.
/// A known node's script is remembered by the store (<see cref="IChamiStore.Remember{T}"/>) only until something it was
/// built from changes, so a change is what the next request sees. Which entry a node boots from is
/// <see cref="BootEntryResolver"/>'s answer.
/// </summary>
public sealed partial class BootScriptService(IChamiStore store)
{
    private readonly EndpointHistory history = new(store);

    public BootOptions Options { get; set; } = BootOptions.FromEnvironment();

    /// <summary>Where the <c>ds=nocloud-net;s=</c> seed points (per-node signed seeds plug in here).</summary>
    public ICloudInitSeedProvider SeedProvider { get; set; } = DefaultCloudInitSeedProvider.Instance;

    /// <summary>The script for a DHCP server's one fixed URL: chain back with the NIC's MAC and build architecture.</summary>
    public string SelectorScript(string? host) =>
        $"#!ipxe\nchain {Options.ChainBase(host)}/boot/v1/bootscript?mac=${{net0/mac}}&arch=${{buildarch}}\n\n";

    public BootResolution Resolve(BootRequest request) => store.Read(s => BootEntryResolver.Resolve(s, request));

    /// <summary>The script a node gets. Unknown nodes get sleep-and-chain or their <c>Unknown-&lt;arch&gt;</c> image; NotFound when neither applies.</summary>
    public BootScript GetScript(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "Need a mac=, name=, or nid= parameter");
        // A known node's script is remembered until something it was built from changes (boot storms ask it again and
        // again); the unknown-node answer carries the time, so it is built each time.
        var script = store.Remember(ScriptKey(request), () => BuildScript(request), built => built.Known);
        if (script.Known && request.RecordAccess) RecordAccess(script.Node!, "bootscript");
        return script;
    }

    /// <summary>Every input of <see cref="BuildScript"/> that is not in the store.</summary>
    private string ScriptKey(BootRequest r) => string.Join('\n', "bootscript", r.Mac, r.Name, r.Nid?.ToString(CultureInfo.InvariantCulture), r.Arch,
        r.Retry.ToString(CultureInfo.InvariantCulture), r.Ts?.ToString(CultureInfo.InvariantCulture), Options.ChainBase(r.Host), Options.CloudInitBase(r.Host),
        Options.RetryDelay.ToString(CultureInfo.InvariantCulture), Options.HsmRetrievalDelay.ToString(CultureInfo.InvariantCulture), Options.S3Endpoint,
        SeedProvider.GetType().FullName, RuntimeHelpers.GetHashCode(SeedProvider).ToString(CultureInfo.InvariantCulture));

    private BootScript BuildScript(BootRequest request)
    {
        var (resolution, unknownEntry) = store.Read(s =>
        {
            var r = BootEntryResolver.Resolve(s, request);
            var arch = BootArch.NormalizeOrNull(request.Arch);
            var unknown = IsKnown(r) || arch is null ? null : s.Collection<BootParamsEntry>().Get(BootIdentity.UnknownTag(arch).Key);
            return (r, unknown);
        });
        var chainBase = Options.ChainBase(request.Host);
        var component = resolution.Component;
        if (IsKnown(resolution) && component is not null)
        {
            var entry = resolution.Entry!;
            var commandLine = BuildCommandLine(entry, component, request);
            var chainMac = request.Mac ?? resolution.Macs.FirstOrDefault();
            var retry = (request.Retry + 1).ToString(CultureInfo.InvariantCulture);
            var chain = chainMac is not null
                ? $"{chainBase}/boot/v1/bootscript?mac={chainMac}&retry={retry}"
                : $"{chainBase}/boot/v1/bootscript?name={component.ID}&retry={retry}";
            return new BootScript
            {
                Node = component.ID, MacAddress = request.Mac ?? resolution.Macs.FirstOrDefault(), Nid = component.NID, Arch = resolution.Arch,
                Known = true, Source = resolution.Source, Kernel = Fetchable(entry.Kernel), Initrd = NullIfEmpty(Fetchable(entry.Initrd)), CommandLine = commandLine,
                Script = KernelScript(entry.Kernel, commandLine, entry.Initrd, chain),
            };
        }

        var unknownChain = $"{chainBase}/boot/v1/bootscript?{UnknownId(request, component)}&arch=${{buildarch}}&ts={request.Ts ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var requestArch = BootArch.NormalizeOrNull(request.Arch);
        if (requestArch is null)
        {
            return new BootScript
            {
                Node = component?.ID, MacAddress = request.Mac, Nid = component?.NID ?? request.Nid, Known = false, Source = "none",
                Script = $"#!ipxe\nsleep {Options.HsmRetrievalDelay}\nchain {unknownChain}\n\n",
            };
        }
        if (unknownEntry is { Kernel.Length: > 0 })
        {
            // Discovery image: no xname=/nid=/BOOTIF= (the node is not known).
            var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), null, request.Mac));
            var commandLine = KernelParams.Build(unknownEntry.Params, null, null, null, seed, unknownEntry.Initrd.Length > 0);
            return new BootScript
            {
                Node = component?.ID, MacAddress = request.Mac, Nid = component?.NID ?? request.Nid, Arch = requestArch, Known = false,
                Source = BootEntryResolver.SourceOf(unknownEntry), Kernel = Fetchable(unknownEntry.Kernel), Initrd = NullIfEmpty(Fetchable(unknownEntry.Initrd)), CommandLine = commandLine,
                Script = KernelScript(unknownEntry.Kernel, commandLine, unknownEntry.Initrd, unknownChain),
            };
        }
        throw ChamiException.NotFound("BootHostNotConfigured",
            $"Unknown {Describe(request, component)} architecture {requestArch}: this host not configured for booting.", request.Mac ?? request.Name ?? request.Nid?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>?json=1</c>: same resolution, never the unknown path.</summary>
    public BootScriptJson GetJson(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "Need a mac=, name=, or nid= parameter");
        var resolution = Resolve(request);
        var entry = resolution.Entry is { Kernel.Length: > 0 } e ? e : new BootParamsEntry();
        var commandLine = BuildCommandLine(entry, resolution.Component, request);
        return new BootScriptJson
        {
            Params = "kernel " + commandLine,
            Kernel = new BootPath(Fetchable(entry.Kernel)),
            Initrd = entry.Initrd.Length > 0 ? new BootPath(Fetchable(entry.Initrd)) : null,
        };
    }

    private string BuildCommandLine(BootParamsEntry entry, Component? component, BootRequest request)
    {
        var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), component?.ID, request.Mac));
        return KernelParams.Build(entry.Params, component?.ID, component?.NID, request.Mac, seed, entry.Initrd.Length > 0);
    }

    /// <summary>What iPXE fetches for a stored kernel/initrd URL: never <c>s3://</c> (<see cref="S3BootUrl"/>).</summary>
    private string Fetchable(string url) => S3BootUrl.Fetchable(url, Options.S3Endpoint);

    private string KernelScript(string kernel, string commandLine, string initrd, string chain)
    {
        kernel = Fetchable(kernel);
        initrd = Fetchable(initrd);
        var sb = new StringBuilder(256);
        sb.Append("#!ipxe\n");
        sb.Append("kernel --name kernel ").Append(kernel);
        if (commandLine.Length > 0) sb.Append(' ').Append(commandLine);
        sb.Append(" || goto boot_retry\n");
        if (initrd.Length > 0) sb.Append("initrd --name initrd ").Append(initrd).Append(" || goto boot_retry\n");
        sb.Append("boot || goto boot_retry\n");
        sb.Append(":boot_retry\n");
        sb.Append("sleep ").Append(Options.RetryDelay.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("chain ").Append(chain).Append("\n\n");
        return sb.ToString();
    }

    private static bool IsKnown(BootResolution r) => r.Component is not null && r.Entry is { Kernel.Length: > 0 };

    private static string UnknownId(BootRequest request, Component? component) =>
        request.Mac is not null ? $"mac={request.Mac}"
        : request.Name is not null ? $"name={component?.ID ?? request.Name}"
        : request.Nid is not null ? $"nid={request.Nid.Value.ToString(CultureInfo.InvariantCulture)}"
        : "mac=${net0/mac}";

    private static string Describe(BootRequest request, Component? component)
    {
        var xname = component is null ? string.Empty : $" ({component.ID})";
        return request.Mac is not null ? $"MAC {request.Mac}{xname}"
            : request.Name is not null ? (component?.ID ?? request.Name)
            : $"NID {request.Nid}{xname}";
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    // ---------- hosts, dumpstate ----------

    /// <summary>BSS's node view (spec/bss.md §6.1), straight from the store: never stale.</summary>
    public IReadOnlyList<SmComponent> Hosts(IReadOnlyCollection<string>? names = null, IReadOnlyCollection<string>? macs = null, IReadOnlyCollection<long>? nids = null) =>
        store.Read(s => Hosts(s, names ?? [], macs ?? [], nids ?? []));

    internal static IReadOnlyList<SmComponent> Hosts(IStoreSession s, IReadOnlyCollection<string> names, IReadOnlyCollection<string> macs, IReadOnlyCollection<long> nids)
    {
        var components = s.Collection<Component>();
        var nicsByOwner = s.Collection<EthernetInterface>().All().Where(e => e.ComponentID.Length > 0).ToLookup(e => e.ComponentID, e => e.MACAddress);
        var nodes = components.All().Where(c => c.Type == HmsType.Node).OrderBy(c => c.ID, XnameComparer.Instance).ToList();
        var endpoints = s.Collection<ComponentEndpoint>().All().Where(e => e.Type == HmsType.Node).ToDictionary(e => e.ID, StringComparer.Ordinal);
        SmComponent View(Component c) => SmComponent.From(c, nicsByOwner[c.ID].ToList(), endpoints.GetValueOrDefault(c.ID));
        if (names.Count + macs.Count + nids.Count == 0) return nodes.Select(View).ToList();

        var selected = new List<Component>();
        foreach (var name in names)
        {
            var c = Xname.TryParse(name, out var id, out _) ? nodes.FirstOrDefault(x => x.ID == id) : null;
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown host name '{name}'", name));
        }
        foreach (var mac in macs)
        {
            var normalized = MacAddress.TryNormalize(mac, out var m) ? m : null;
            var c = normalized is null ? null : nodes.FirstOrDefault(x => nicsByOwner[x.ID].Contains(normalized));
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown MAC address '{mac}'", mac));
        }
        foreach (var nid in nids)
        {
            var c = nodes.FirstOrDefault(x => x.NID == nid);
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown NID '{nid}'", nid.ToString(CultureInfo.InvariantCulture)));
        }
        return selected.DistinctBy(c => c.ID).Select(View).ToList();
    }

    public BootDumpState DumpState() => store.Read(s => new BootDumpState
    {
        Components = Hosts(s, [], [], []),
        Params = BootParamsService.Group(s.Collection<BootParamsEntry>().All()),
    });

    // ---------- endpoint history (spec/bss.md §6.2) ----------

    /// <inheritdoc cref="EndpointHistory.Record"/>
    public void RecordAccess(string name, string endpoint) => history.Record(name, endpoint);

    public void FlushAccessLog() => history.Flush();

    public IReadOnlyList<EndpointAccess> History(string? name = null, string? endpoint = null) => history.Read(name, endpoint);
}
