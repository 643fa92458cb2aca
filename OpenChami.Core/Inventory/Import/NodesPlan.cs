using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Import;

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
        // BMCs by xname, MAC and name (the first of each): a scan of every BMC per node made the plan O(nodes x BMCs).
        var bmcXnames = new HashSet<string>(StringComparer.Ordinal);
        var bmcByMac = new Dictionary<string, BmcEntry>(StringComparer.Ordinal);
        var bmcByName = new Dictionary<string, BmcEntry>(StringComparer.Ordinal);
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
                    if (!bmcXnames.Add(xname))
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
            if (!bmcXnames.Add(bmc.Xname))
            {
                Problem(file, "DuplicateBmcXname", ImportProblemSeverity.Warning, $"BMC {bmc.Xname} is defined again (line {bmc.Line}); the second definition is skipped", null, bmc.Line);
                continue;
            }
            plan.Bmcs.Add(bmc);
            if (bmc.Mac is not null) bmcByMac.TryAdd(bmc.Mac, bmc);
            if (bmc.Name is not null) bmcByName.TryAdd(bmc.Name, bmc);
        }
        var bmcByXname = plan.Bmcs.ToDictionary(b => b.Xname, StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            var reference = node.Bmc ?? Xname.GetNodeBmc(node.Xname) ?? node.Xname;
            var normalizedMac = MacAddress.TryNormalize(reference, out var mac) ? mac : null;
            var normalizedXname = Xname.TryParse(reference, out var x, out _) ? x : null;
            var bmc = (normalizedMac is not null ? bmcByMac.GetValueOrDefault(normalizedMac) : null)
                ?? bmcByName.GetValueOrDefault(reference)
                ?? (normalizedXname is not null ? bmcByXname.GetValueOrDefault(normalizedXname) : null);
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
