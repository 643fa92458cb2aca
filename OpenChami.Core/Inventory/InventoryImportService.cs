using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory.Import;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>A parsed inventory file, ready to apply: problems first, so callers can report them all before writing.</summary>
public sealed class ParsedInventory
{
    public string Path { get; init; } = string.Empty;

    public InventoryFileFormat Format { get; init; }

    public NodesFile? Nodes { get; init; }

    public InventoryDocument? Document { get; init; }

    public List<ImportProblem> Problems { get; init; } = [];

    internal NodesPlan? Plan { get; init; }

    /// <summary>True when a problem prevents importing anything (syntax error, unknown top-level key...).</summary>
    public bool HasFatalProblems => Problems.Any(p => p.Fatal);
}

/// <summary>
/// Static inventory import and export: ochami's nodes.yaml (both formats), node CSVs and our own JSON export.
/// A nodes file produces exactly the state of spec/discovery-power.md §3.5 — Node components with their NIDs, one
/// SchemaVersion 1 RedfishEndpoint per BMC ingested like <c>ochami discover static</c> sends it, every NIC with all
/// its addresses, groups — in ONE transaction, and re-importing the same file changes nothing.
/// </summary>
public sealed class InventoryImportService(IChamiStore store, RedfishEndpointService redfishEndpoints)
{
    private static readonly Guid UuidNamespace = new("6f1d2c3e-8a4b-5c6d-9e0f-0123456789ab");

    // ------------------------------------------------------------------ parse

    public static ParsedInventory ParseFile(string path, InventoryFileFormat format = InventoryFileFormat.Auto)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ChamiException.Invalid("InventoryFileUnreadable", $"Cannot read '{path}': {ex.Message}", path);
        }
        return Parse(text, path, format);
    }

    public static ParsedInventory Parse(string text, string path, InventoryFileFormat format = InventoryFileFormat.Auto)
    {
        if (format == InventoryFileFormat.Auto) format = Detect(text, path);
        switch (format)
        {
            case InventoryFileFormat.Csv:
            {
                var csv = CsvInventoryParser.Parse(text, path);
                return new ParsedInventory { Path = path, Format = format, Nodes = csv, Problems = csv.Problems, Plan = PlanOf(csv) };
            }
            case InventoryFileFormat.Json:
            {
                try
                {
                    var document = JsonSerializer.Deserialize<InventoryDocument>(text, ChamiJson.Options);
                    if (document is null || document.Format != InventoryDocument.FormatName || document.Version != 1)
                    {
                        return Fatal(path, format, "InvalidInventoryFile", $"not an OpenChami inventory export (expected \"Format\":\"{InventoryDocument.FormatName}\", \"Version\":1)");
                    }
                    return new ParsedInventory { Path = path, Format = format, Document = document };
                }
                catch (JsonException ex)
                {
                    return Fatal(path, format, "InvalidJson", $"not valid inventory JSON: {ex.Message}", (ex.LineNumber ?? -1) + 1, (ex.BytePositionInLine ?? -1) + 1);
                }
            }
            default:
            {
                var nodes = NodesFileParser.Parse(text, path);
                return new ParsedInventory { Path = path, Format = InventoryFileFormat.NodesYaml, Nodes = nodes, Problems = nodes.Problems, Plan = PlanOf(nodes) };
            }
        }
    }

    // Cross-element checks (duplicates, BMC references) run at parse time so every problem is known before writing.
    private static NodesPlan? PlanOf(NodesFile file) => file.Problems.Any(p => p.Fatal) ? null : NodesPlan.Build(file);

    private static ParsedInventory Fatal(string path, InventoryFileFormat format, string id, string message, long line = 0, long column = 0) => new()
    {
        Path = path,
        Format = format,
        Problems = [new ImportProblem { Id = id, Severity = ImportProblemSeverity.Error, Fatal = true, Message = message, File = path, Line = line, Column = column }],
    };

    private static InventoryFileFormat Detect(string text, string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv") return InventoryFileFormat.Csv;
        if (extension == ".json" && text.Contains($"\"{InventoryDocument.FormatName}\"", StringComparison.Ordinal)) return InventoryFileFormat.Json;
        return InventoryFileFormat.NodesYaml;
    }

    // ------------------------------------------------------------------ apply

    /// <summary>
    /// Applies a parsed file in one transaction. With <paramref name="whatIf"/> everything is computed inside the
    /// transaction and then rolled back, so the report is exact and nothing is written.
    /// Fatal problems throw <c>InvalidInventoryFile</c>; element problems were already skipped by the parser.
    /// </summary>
    public InventoryChangeSet Apply(ParsedInventory parsed, bool whatIf = false, CancellationToken cancellation = default)
    {
        if (parsed.HasFatalProblems)
        {
            var first = parsed.Problems.First(p => p.Fatal);
            throw ChamiException.Invalid("InvalidInventoryFile", $"{parsed.Path} was not imported: {first}", parsed.Path);
        }
        InventoryChangeSet? result = null;
        try
        {
            store.Write(s =>
            {
                result = parsed.Document is { } document ? ApplyDocument(s, document, cancellation) : ApplyNodes(s, parsed.Plan!, cancellation);
                if (whatIf) throw new RollbackException();
            });
        }
        catch (RollbackException)
        {
            foreach (var item in result!.Items) item.WhatIf = true;
        }
        return result!;
    }

    private sealed class RollbackException : Exception;

    private InventoryChangeSet ApplyNodes(IStoreSession session, NodesPlan plan, CancellationToken cancellation)
    {
        var changes = new InventoryChangeSet();
        var components = session.Collection<Component>();

        // 1. Node components with the file's NIDs (what ochami POSTs first).
        foreach (var node in plan.Nodes)
        {
            cancellation.ThrowIfCancellationRequested();
            var existing = components.Get(node.Xname);
            if (existing is null)
            {
                components.Insert(ComponentRules.PrepareNew(new Component { ID = node.Xname, State = HmsState.On, Flag = HmsFlag.OK, Enabled = true, NID = node.Nid, Role = "Compute" }));
                changes.Record(InventoryObjectTypes.Component, node.Xname, ChangeAction.Added);
                continue;
            }
            // The file owns the NID; live state (On/Off/Ready...), role and flags set since are kept.
            var changed = false;
            if (existing.NID != node.Nid) { existing.NID = node.Nid; changed = true; }
            if (existing.State is null or HmsState.Empty or HmsState.Unknown) { existing.State = HmsState.On; changed = true; }
            if (changed) components.Update(existing);
            changes.Record(InventoryObjectTypes.Component, node.Xname, changed ? ChangeAction.Updated : ChangeAction.Unchanged);
        }

        // 2. One SchemaVersion 1 RedfishEndpoint per BMC, through the same ingestion as HTTP and discovery.
        var endpoints = plan.Bmcs.Select(b => BuildEndpoint(b, plan.NodesOf(b))).ToList();
        if (endpoints.Count > 0)
        {
            redfishEndpoints.Apply(session, endpoints, replace: true, new IngestOptions { RefreshDiscoveryTimestamp = false }, changes);
        }

        // 3. Every NIC on its node (the node's own xname even when its CE is named by position), all addresses.
        var now = DateTime.UtcNow;
        foreach (var node in plan.Nodes)
        {
            // The ingestion already wrote these NICs exactly like this when the node's CE carries its own xname.
            if (plan.IngestedWithOwnXname(node)) continue;
            for (var i = 0; i < node.Interfaces.Count; i++)
            {
                var nic = node.Interfaces[i];
                var wanted = new EthernetInterface
                {
                    ID = MacAddress.ToId(nic.Mac),
                    MACAddress = nic.Mac,
                    Description = $"Interface {i} for {node.Name}",
                    ComponentID = node.Xname,
                    Type = Xname.GetHmsType(node.Xname).ToString(),
                    IPAddresses = nic.Addresses.Select(a => new IPAddressMapping { IPAddress = a.Ip, Network = a.Network }).ToList(),
                };
                changes.Record(InventoryObjectTypes.EthernetInterface, wanted.ID, RedfishIngestion.UpsertInterface(session, wanted, now));
            }
        }

        // 4. Groups: created when missing ("The <g> group"); members are added (union), never removed: one small
        // document per new member, the membership checks key reads (O(groups of that node), not O(group size)).
        var groups = session.Collection<Group>();
        var members = session.Collection<GroupMember>();
        foreach (var label in plan.Nodes.SelectMany(n => n.Groups).Distinct())
        {
            cancellation.ThrowIfCancellationRequested();
            var action = ChangeAction.Unchanged;
            if (!groups.Exists(label))
            {
                GroupService.Create(session, new Group { Label = label, Description = $"The {label} group" });
                action = ChangeAction.Added;
            }
            var group = groups.Get(label)!;
            var added = 0;
            foreach (var node in plan.Nodes.Where(n => n.Groups.Contains(label)))
            {
                var key = GroupMember.KeyOf(label, node.Xname);
                if (members.Exists(key)) continue;
                GroupService.CheckExclusive(session, group, node.Xname);
                members.Insert(GroupMember.Added(label, node.Xname));
                added++;
            }
            changes.Record(InventoryObjectTypes.Group, label, added == 0 ? action : action == ChangeAction.Added ? action : ChangeAction.Updated);
        }
        return changes;
    }

    /// <summary>The synthetic record of spec/discovery-power.md §3.4, with name-based UUIDs so re-imports don't churn.</summary>
    public static RedfishEndpointInput BuildEndpoint(BmcEntry bmc, IReadOnlyList<NodeEntry> nodes) => new()
    {
        ID = bmc.Xname,
        Type = "NodeBMC",
        Name = bmc.Name ?? string.Empty,
        MACAddr = bmc.Mac,
        IPAddress = bmc.Ip,
        FQDN = bmc.Fqdn,
        UUID = StableUuid(bmc.Xname),
        SchemaVersion = 1,
        Managers =
        [
            new RedfishManagerRecord
            {
                Uri = $"/redfish/v1/Managers/{bmc.Xname}",
                Name = bmc.Xname,
                Type = "NodeBMC",
                Uuid = StableUuid(bmc.Xname + "/manager"),
                EthernetInterfaces = [new RedfishInterfaceRecord { Name = bmc.Xname, Description = $"Interface for BMC {bmc.Xname}", Mac = bmc.Mac, Ip = bmc.Ip }],
            },
        ],
        Systems = nodes.Select(node => new RedfishSystemRecord
        {
            Uri = $"/redfish/v1/Systems/{node.Xname}",
            Name = node.Name,
            Uuid = StableUuid(node.Xname),
            Actions = RedfishEndpointService.StaticResetTypes.ToList(),
            EthernetInterfaces = node.Interfaces.Select((nic, i) => new RedfishInterfaceRecord
            {
                Name = node.Xname,
                Description = $"Interface {i} for {node.Name}",
                Mac = nic.Mac,
                Ip = nic.Addresses.Count > 0 ? nic.Addresses[0].Ip : null,
                Network = nic.Addresses.Count > 0 ? nic.Addresses[0].Network : null,
                IPAddresses = nic.Addresses.Skip(1).Select(a => new IPAddressMapping { IPAddress = a.Ip, Network = a.Network }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>A name-based (RFC 4122 version 5, SHA-1) UUID: the same xname always gives the same UUID.</summary>
    public static string StableUuid(string name)
    {
        var ns = UuidNamespace.ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. ns, .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private static InventoryChangeSet ApplyDocument(IStoreSession session, InventoryDocument document, CancellationToken cancellation)
    {
        var changes = new InventoryChangeSet();
        var components = session.Collection<Component>();
        foreach (var input in document.Components)
        {
            cancellation.ThrowIfCancellationRequested();
            var c = input.Clone();
            c.ID = ComponentRules.ParseId(input.ID);
            c.Type = Xname.GetHmsType(c.ID);
            changes.Record(InventoryObjectTypes.Component, c.ID, components.WriteIfChanged(components.Get(c.ID), c));
        }
        var nics = session.Collection<EthernetInterface>();
        foreach (var input in document.EthernetInterfaces)
        {
            var nic = EthernetInterfaceService.Prepare(input);
            nic.LastUpdate = input.LastUpdate == default ? nic.LastUpdate : input.LastUpdate.ToUniversalTime();
            changes.Record(InventoryObjectTypes.EthernetInterface, nic.ID, nics.WriteIfChanged(nics.Get(nic.ID), nic));
        }
        var groups = session.Collection<Group>();
        foreach (var input in document.Groups)
        {
            var group = new Group
            {
                Label = GroupService.NormalizeLabel(input.Label),
                Description = input.Description ?? string.Empty,
                ExclusiveGroup = string.IsNullOrEmpty(input.ExclusiveGroup) ? null : GroupService.NormalizeLabel(input.ExclusiveGroup, "exclusive group"),
                Tags = input.Tags is { Count: > 0 } ? input.Tags.Select(t => GroupService.NormalizeLabel(t, "tag")).ToList() : null,
            };
            var ids = input.Members.Ids.Select(id => Xname.Parse(id)).Distinct().ToList();
            var action = groups.WriteIfChanged(groups.Get(group.Label), group);
            // Members are their own documents: only the difference is written.
            if (GroupService.SetMembers(session, group.Label, ids) && action == ChangeAction.Unchanged) action = ChangeAction.Updated;
            changes.Record(InventoryObjectTypes.Group, group.Label, action);
        }
        var partitions = session.Collection<Partition>();
        foreach (var input in document.Partitions)
        {
            var partition = new Partition
            {
                Name = input.Name.Trim().ToLowerInvariant(),
                Description = input.Description,
                Tags = input.Tags,
            };
            var ids = input.Members.Ids.Select(id => Xname.Parse(id)).Distinct().ToList();
            var action = partitions.WriteIfChanged(partitions.Get(partition.Name), partition);
            if (PartitionService.SetMembers(session, partition.Name, ids) && action == ChangeAction.Unchanged) action = ChangeAction.Updated;
            changes.Record(InventoryObjectTypes.Partition, partition.Name, action);
        }
        var rfes = session.Collection<RedfishEndpoint>();
        foreach (var input in document.RedfishEndpoints)
        {
            var endpoint = RedfishEndpointService.Prepare(new RedfishEndpointInput
            {
                ID = input.ID, Name = input.Name, Hostname = input.Hostname, Domain = input.Domain, FQDN = input.FQDN,
                Enabled = input.Enabled, UUID = input.UUID, User = input.User, UseSSDP = input.UseSSDP, MACRequired = input.MACRequired,
                MACAddr = input.MACAddr, IPAddress = input.IPAddress, RediscoverOnUpdate = input.RediscoverOnUpdate, TemplateID = input.TemplateID,
            });
            endpoint.DiscoveryInfo = input.DiscoveryInfo ?? new DiscoveryInfo();
            if (endpoint.DiscoveryInfo.LastDiscoveryAttempt is { } at) endpoint.DiscoveryInfo.LastDiscoveryAttempt = at.ToUniversalTime();
            changes.Record(InventoryObjectTypes.RedfishEndpoint, endpoint.ID, rfes.WriteIfChanged(rfes.Get(endpoint.ID), endpoint));
        }
        var ces = session.Collection<ComponentEndpoint>();
        foreach (var ce in document.ComponentEndpoints)
        {
            ce.ID = Xname.Parse(ce.ID);
            ce.Type = Xname.GetHmsType(ce.ID);
            ce.RedfishEndpointID = Xname.Parse(ce.RedfishEndpointID);
            changes.Record(InventoryObjectTypes.ComponentEndpoint, ce.ID, ces.WriteIfChanged(ces.Get(ce.ID), ce));
        }
        var ses = session.Collection<ServiceEndpoint>();
        foreach (var se in document.ServiceEndpoints)
        {
            se.RedfishEndpointID = Xname.Parse(se.RedfishEndpointID);
            se.Key = ServiceEndpoint.KeyOf(se.RedfishType, se.RedfishEndpointID);
            changes.Record(InventoryObjectTypes.ServiceEndpoint, se.Key, ses.WriteIfChanged(ses.Get(se.Key), se));
        }
        return changes;
    }

    // ------------------------------------------------------------------ export

    /// <summary>Every inventory collection in a stable order (no secrets).</summary>
    public InventoryDocument Export() => store.Read(s =>
    {
        var groupMembers = GroupService.AllMembers(s);
        var partitionMembers = PartitionService.AllMembers(s);
        return new InventoryDocument
        {
            Components = s.Collection<Component>().All().OrderBy(c => c.ID, XnameComparer.Instance).ThenBy(c => c.ID, StringComparer.Ordinal).ToList(),
            EthernetInterfaces = s.Collection<EthernetInterface>().All().OrderBy(e => e.ID, StringComparer.Ordinal).ToList(),
            Groups = s.Collection<Group>().All().Select(g => GroupService.WithMembers(g, groupMembers[g.Label])).OrderBy(g => g.Label, StringComparer.Ordinal).ToList(),
            Partitions = s.Collection<Partition>().All().Select(p => PartitionService.WithMembers(p, partitionMembers[p.Name])).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            RedfishEndpoints = s.Collection<RedfishEndpoint>().All().OrderBy(r => r.ID, XnameComparer.Instance).ThenBy(r => r.ID, StringComparer.Ordinal).ToList(),
            ComponentEndpoints = s.Collection<ComponentEndpoint>().All().OrderBy(c => c.ID, XnameComparer.Instance).ThenBy(c => c.ID, StringComparer.Ordinal).ToList(),
            ServiceEndpoints = s.Collection<ServiceEndpoint>().All().OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
        };
    });

    public static string ToJson(InventoryDocument document) => JsonSerializer.Serialize(document, ChamiJson.Indented) + "\n";

    public void ExportToFile(string path)
    {
        var json = ToJson(Export());
        // Write beside the target and rename, so a failed export never leaves half a file.
        var full = System.IO.Path.GetFullPath(path);
        var temp = full + ".tmp";
        File.WriteAllText(temp, json, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }
}

/// <summary>What a nodes file asks for once duplicates are dropped and BMCs resolved (spec/discovery-power.md §3.3).</summary>
internal sealed class NodesPlan
{
    public List<NodeEntry> Nodes { get; } = [];

    public List<BmcEntry> Bmcs { get; } = [];

    private readonly Dictionary<string, List<NodeEntry>> nodesOfBmc = new(StringComparer.Ordinal);

    public IReadOnlyList<NodeEntry> NodesOf(BmcEntry bmc) => nodesOfBmc.TryGetValue(bmc.Xname, out var list) ? list : [];

    private readonly HashSet<NodeEntry> ownXname = [];

    /// <summary>True when the node's System record names the node itself (its NICs land on its own xname).</summary>
    public bool IngestedWithOwnXname(NodeEntry node) => ownXname.Contains(node);

    /// <summary>Resolves the plan and adds the cross-element problems (duplicates, unresolved BMCs) to the file.</summary>
    public static NodesPlan Build(NodesFile file)
    {
        var plan = new NodesPlan();
        var seen = new Dictionary<string, NodeEntry>(StringComparer.Ordinal);
        var nids = new Dictionary<long, string>();
        var macs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in file.Nodes)
        {
            if (seen.TryGetValue(node.Xname, out var first))
            {
                Problem(file, "DuplicateNodeXname", ImportProblemSeverity.Warning, $"node {node.Xname} is defined again (first at line {first.Line}); the second definition is skipped", node);
                continue;
            }
            seen[node.Xname] = node;
            if (nids.TryGetValue(node.Nid, out var other))
            {
                Problem(file, "DuplicateNid", ImportProblemSeverity.Warning, $"node {node.Xname} has NID {node.Nid}, like {other}", node);
            }
            else nids[node.Nid] = node.Xname;
            foreach (var nic in node.Interfaces.ToList())
            {
                if (macs.TryGetValue(nic.Mac, out var owner))
                {
                    Problem(file, "DuplicateMacAddress", ImportProblemSeverity.Error, $"node {node.Xname}: MAC {nic.Mac} already belongs to {owner}; the interface is skipped", node);
                    node.Interfaces.Remove(nic);
                }
                else macs[nic.Mac] = node.Xname;
            }
            plan.Nodes.Add(node);
        }

        if (file.LegacyFormat)
        {
            // Nodes sharing a bmc_mac share one BMC, named after the first node that introduced it.
            var byMac = new Dictionary<string, BmcEntry>(StringComparer.Ordinal);
            foreach (var node in plan.Nodes.Where(n => n.BmcMac is not null && n.BmcIp is not null))
            {
                if (!byMac.TryGetValue(node.BmcMac!, out var bmc))
                {
                    var xname = Xname.GetNodeBmc(node.Xname);
                    if (xname is null)
                    {
                        Problem(file, "NodeXnameNotNode", ImportProblemSeverity.Warning, $"{node.Xname} is not a Node xname; its BMC takes the same xname", node);
                        xname = node.Xname;
                    }
                    if (!Xname.TryParse(xname, out _, out var type) || !RedfishEndpointService.EndpointTypes.Contains(type))
                    {
                        Problem(file, "InvalidXname", ImportProblemSeverity.Error, $"{node.Xname}: the BMC xname {xname} is not a BMC xname; the node's BMC is skipped", node);
                        continue;
                    }
                    if (plan.Bmcs.Any(b => b.Xname == xname))
                    {
                        Problem(file, "DuplicateBmcXname", ImportProblemSeverity.Error, $"{node.Xname}: BMC {xname} is listed with two MACs; the node's BMC is skipped", node);
                        continue;
                    }
                    bmc = new BmcEntry { Xname = xname, Mac = node.BmcMac!, Ip = node.BmcIp!, Fqdn = node.BmcFqdn, Name = node.Name, Line = node.Line };
                    byMac[node.BmcMac!] = bmc;
                    plan.Bmcs.Add(bmc);
                }
                plan.Attach(file, bmc, node);
            }
            return plan;
        }

        foreach (var bmc in file.Bmcs)
        {
            if (plan.Bmcs.Any(b => b.Xname == bmc.Xname))
            {
                Problem(file, "DuplicateBmcXname", ImportProblemSeverity.Warning, $"BMC {bmc.Xname} is defined again (line {bmc.Line}); the second definition is skipped", null, bmc.Line);
                continue;
            }
            plan.Bmcs.Add(bmc);
        }
        foreach (var node in plan.Nodes)
        {
            var reference = node.Bmc ?? Xname.GetNodeBmc(node.Xname) ?? node.Xname;
            var normalizedMac = MacAddress.TryNormalize(reference, out var mac) ? mac : null;
            var normalizedXname = Xname.TryParse(reference, out var x, out _) ? x : null;
            var bmc = plan.Bmcs.FirstOrDefault(b => b.Mac == normalizedMac)
                ?? plan.Bmcs.FirstOrDefault(b => b.Name is not null && b.Name == reference)
                ?? plan.Bmcs.FirstOrDefault(b => b.Xname == normalizedXname);
            if (bmc is null)
            {
                Problem(file, "BmcNotFound", ImportProblemSeverity.Error,
                    $"node {node.Xname}: BMC '{reference}' matches no bmcs[] mac, name or xname; the node is imported without a RedfishEndpoint", node);
                continue;
            }
            plan.Attach(file, bmc, node);
        }
        // BMCs no node refers to are still endpoints (a BMC without systems yet).
        return plan;
    }

    private void Attach(NodesFile file, BmcEntry bmc, NodeEntry node)
    {
        if (Xname.GetNodeBmc(node.Xname) != bmc.Xname)
        {
            Problem(file, "NodeOutsideBmc", ImportProblemSeverity.Warning,
                $"node {node.Xname} does not start with its BMC's xname {bmc.Xname}; its ComponentEndpoint is named by position under {bmc.Xname}", node);
        }
        if (!nodesOfBmc.TryGetValue(bmc.Xname, out var list)) nodesOfBmc[bmc.Xname] = list = [];
        list.Add(node);
        if (Xname.GetNodeBmc(node.Xname) == bmc.Xname) ownXname.Add(node);
    }

    private static void Problem(NodesFile file, string id, ImportProblemSeverity severity, string message, NodeEntry? node, long line = 0) =>
        file.Problems.Add(new ImportProblem
        {
            Id = id,
            Severity = severity,
            Message = message,
            Target = node?.Xname,
            File = file.Path,
            Line = node?.Line ?? line,
            Column = node?.Column ?? (line > 0 ? 1 : 0),
        });
}
