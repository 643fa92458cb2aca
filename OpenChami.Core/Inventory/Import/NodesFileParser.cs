using System.Globalization;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenChami.Core.Inventory.Import;

/// <summary>
/// Reads ochami's nodes.yaml (spec/discovery-power.md §3.1, §3.2) — YAML or JSON, current or old format — into a
/// <see cref="NodesFile"/>, reporting every problem with its line and column instead of stopping at the first.
/// YamlDotNet's node tree is used (not its object binder) so positions, unknown keys and wrong types can all be
/// reported, and JSON (a YAML subset) goes through the same path.
/// </summary>
public static class NodesFileParser
{
    private static readonly HashSet<string> TopLevelKeys = ["bmcs", "nodes"];
    private static readonly HashSet<string> BmcKeys = ["xname", "mac", "ip", "name", "fqdn"];
    private static readonly HashSet<string> NodeKeys = ["name", "nid", "xname", "bmc", "groups", "group", "interfaces", "bmc_mac", "bmc_ip", "bmc_fqdn"];
    private static readonly HashSet<string> NicKeys = ["mac_addr", "ip_addrs"];
    private static readonly HashSet<string> IpKeys = ["ip_addr", "name", "network"];

    public static NodesFile Parse(string text, string path)
    {
        var file = new NodesFile { Path = path };
        var reporter = new Reporter(file);
        YamlStream stream = new();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            reporter.Fatal("InvalidYaml", $"not valid YAML/JSON: {ex.InnerException?.Message ?? ex.Message}", ex.Start);
            return file;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            reporter.Fatal("InvalidInventoryFile", "the file must be a mapping with a 'nodes' list (and optionally 'bmcs')",
                stream.Documents.Count > 0 ? stream.Documents[0].RootNode.Start : Mark.Empty);
            return file;
        }

        YamlSequenceNode? bmcs = null, nodes = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (!TopLevelKeys.Contains(key))
            {
                reporter.Fatal("UnknownKey", $"unknown top-level key '{key}' (expected 'bmcs' or 'nodes')", keyNode.Start);
                continue;
            }
            if (value is YamlScalarNode { Value: null or "" or "~" or "null" }) continue;
            if (value is not YamlSequenceNode sequence)
            {
                reporter.Fatal("WrongType", $"'{key}' must be a list", value.Start);
                continue;
            }
            if (key == "bmcs") bmcs = sequence;
            else nodes = sequence;
        }
        if (nodes is null && !file.Problems.Any(p => p.Fatal))
        {
            reporter.Fatal("MissingField", "the file has no 'nodes' list", root.Start);
        }
        if (file.Problems.Any(p => p.Fatal)) return file;

        file.LegacyFormat = nodes!.Children.OfType<YamlMappingNode>().Any(n => n.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "bmc_mac" or "bmc_ip"));
        if (bmcs is not null)
        {
            foreach (var item in bmcs.Children) ReadBmc(item, reporter, file);
        }
        foreach (var item in nodes.Children) ReadNode(item, reporter, file);
        return file;
    }

    private static void ReadBmc(YamlNode item, Reporter reporter, NodesFile file)
    {
        if (item is not YamlMappingNode map)
        {
            reporter.Error("WrongType", "each 'bmcs' element must be a mapping", item.Start);
            return;
        }
        var fields = reporter.Fields(map, BmcKeys, "bmc");
        var ok = true;
        var bmc = new BmcEntry { Line = map.Start.Line };
        var xname = reporter.Required(fields, "xname", map, "bmc", ref ok);
        if (xname is not null)
        {
            if (Xname.TryParse(xname.Value, out var id, out var type) && RedfishEndpointService.EndpointTypes.Contains(type)) bmc.Xname = id;
            else { reporter.Error("InvalidXname", $"BMC xname '{xname.Value}' is not a valid BMC xname (e.g. x1000c0s0b0)", xname.Start, xname.Value); ok = false; }
        }
        var mac = reporter.Required(fields, "mac", map, $"bmc {bmc.Xname}", ref ok);
        if (mac is not null)
        {
            if (MacAddress.TryNormalize(mac.Value, out var m)) bmc.Mac = m;
            else { reporter.Error("InvalidMacAddress", $"BMC {bmc.Xname}: '{mac.Value}' is not a valid MAC address", mac.Start, mac.Value); ok = false; }
        }
        var ip = reporter.Required(fields, "ip", map, $"bmc {bmc.Xname}", ref ok);
        if (ip is not null)
        {
            if (TryIp(ip.Value, out var normalized)) bmc.Ip = normalized;
            else { reporter.Error("InvalidIPAddress", $"BMC {bmc.Xname}: '{ip.Value}' is not a valid IP address", ip.Start, ip.Value); ok = false; }
        }
        bmc.Name = reporter.Optional(fields, "name");
        bmc.Fqdn = reporter.Optional(fields, "fqdn");
        if (!ok) return;
        var same = file.Bmcs.FirstOrDefault(b => b.Mac == bmc.Mac);
        if (same is not null)
        {
            reporter.Warning("DuplicateBmcMac", $"BMC {bmc.Xname} has the MAC {bmc.Mac} of BMC {same.Xname} (line {same.Line}); merged into it", map.Start, bmc.Xname);
            return;
        }
        file.Bmcs.Add(bmc);
    }

    private static void ReadNode(YamlNode item, Reporter reporter, NodesFile file)
    {
        if (item is not YamlMappingNode map)
        {
            reporter.Error("WrongType", "each 'nodes' element must be a mapping", item.Start);
            return;
        }
        var fields = reporter.Fields(map, NodeKeys, "node");
        var ok = true;
        var node = new NodeEntry { Line = map.Start.Line, Column = map.Start.Column };
        var xname = reporter.Required(fields, "xname", map, "node", ref ok);
        if (xname is not null)
        {
            if (Xname.TryParse(xname.Value, out var id, out _)) node.Xname = id;
            else { reporter.Error("InvalidXname", $"node xname '{xname.Value}' is not a valid xname", xname.Start, xname.Value); ok = false; }
        }
        var label = node.Xname.Length > 0 ? node.Xname : "node";
        var name = reporter.Required(fields, "name", map, label, ref ok);
        node.Name = name?.Value ?? string.Empty;
        var nid = reporter.Required(fields, "nid", map, label, ref ok);
        if (nid is not null)
        {
            if (long.TryParse(nid.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0) node.Nid = n;
            else { reporter.Error("InvalidNid", $"{label}: nid '{nid.Value}' is not a non-negative integer", nid.Start, node.Xname); ok = false; }
        }
        node.Bmc = reporter.Optional(fields, "bmc");
        if (file.LegacyFormat)
        {
            node.BmcFqdn = reporter.Optional(fields, "bmc_fqdn");
            if (reporter.Optional(fields, "bmc_mac") is { } bmcMac)
            {
                if (MacAddress.TryNormalize(bmcMac, out var m)) node.BmcMac = m;
                else reporter.Error("InvalidMacAddress", $"{label}: bmc_mac '{bmcMac}' is not a valid MAC address; the node's BMC is skipped", fields["bmc_mac"].Start, bmcMac);
            }
            else reporter.Error("MissingField", $"{label}: 'bmc_mac' is required in this (old) format; the node's BMC is skipped", map.Start, node.Xname);
            if (reporter.Optional(fields, "bmc_ip") is { } bmcIp)
            {
                if (TryIp(bmcIp, out var ip)) node.BmcIp = ip;
                else { reporter.Error("InvalidIPAddress", $"{label}: bmc_ip '{bmcIp}' is not a valid IP address; the node's BMC is skipped", fields["bmc_ip"].Start, bmcIp); node.BmcMac = null; }
            }
            else if (node.BmcMac is not null) { reporter.Error("MissingField", $"{label}: 'bmc_ip' is required in this (old) format; the node's BMC is skipped", map.Start, node.Xname); node.BmcMac = null; }
        }

        if (fields.TryGetValue("group", out var single))
        {
            reporter.Warning("DeprecatedGroupKey", $"{label}: 'group' is deprecated; use 'groups: [..]'", single.Start, node.Xname);
            AddGroup(node, single as YamlScalarNode, reporter, label);
        }
        if (fields.TryGetValue("groups", out var groups))
        {
            if (groups is YamlSequenceNode list) foreach (var g in list.Children) AddGroup(node, g as YamlScalarNode, reporter, label, g);
            else if (groups is YamlScalarNode scalar) AddGroup(node, scalar, reporter, label);
            else reporter.Error("WrongType", $"{label}: 'groups' must be a list of labels", groups.Start, node.Xname);
        }

        if (fields.TryGetValue("interfaces", out var interfaces))
        {
            if (interfaces is YamlSequenceNode list)
            {
                foreach (var nic in list.Children) ReadInterface(nic, node, reporter, label, file.LegacyFormat);
            }
            else if (!IsNull(interfaces)) reporter.Error("WrongType", $"{label}: 'interfaces' must be a list", interfaces.Start, node.Xname);
        }
        if (ok) file.Nodes.Add(node);
    }

    private static void AddGroup(NodeEntry node, YamlScalarNode? scalar, Reporter reporter, string label, YamlNode? at = null)
    {
        if (scalar?.Value is not { Length: > 0 } value)
        {
            reporter.Error("WrongType", $"{label}: a group label must be a string", (at ?? scalar)?.Start ?? Mark.Empty, node.Xname);
            return;
        }
        try
        {
            var normalized = GroupService.NormalizeLabel(value);
            if (!node.Groups.Contains(normalized)) node.Groups.Add(normalized);
        }
        catch (Errors.ChamiException ex)
        {
            reporter.Error("InvalidGroupLabel", $"{label}: {ex.Message}; the group is skipped", scalar.Start, value);
        }
    }

    private static void ReadInterface(YamlNode item, NodeEntry node, Reporter reporter, string label, bool legacy)
    {
        if (item is not YamlMappingNode map)
        {
            reporter.Error("WrongType", $"{label}: each interface must be a mapping", item.Start, node.Xname);
            return;
        }
        var fields = reporter.Fields(map, NicKeys, "interface");
        var ok = true;
        var mac = reporter.Required(fields, "mac_addr", map, $"{label} interface", ref ok);
        if (mac is null) return;
        if (!MacAddress.TryNormalize(mac.Value, out var normalized))
        {
            reporter.Error("InvalidMacAddress", $"{label}: '{mac.Value}' is not a valid MAC address; the interface is skipped", mac.Start, mac.Value);
            return;
        }
        var nic = new NicEntry { Mac = normalized };
        if (fields.TryGetValue("ip_addrs", out var addrs) && !IsNull(addrs))
        {
            if (addrs is not YamlSequenceNode list)
            {
                reporter.Error("WrongType", $"{label} interface {normalized}: 'ip_addrs' must be a list", addrs.Start, normalized);
                return;
            }
            foreach (var entry in list.Children)
            {
                if (entry is not YamlMappingNode ipMap)
                {
                    reporter.Error("WrongType", $"{label} interface {normalized}: each ip_addrs element must be a mapping", entry.Start, normalized);
                    continue;
                }
                // The old format labels addresses with 'network' (a 'name' key is ignored there); the current one with 'name'.
                var ipFields = reporter.Fields(ipMap, IpKeys, "ip_addrs element");
                var ipOk = true;
                var ip = reporter.Required(ipFields, "ip_addr", ipMap, $"{label} interface {normalized}", ref ipOk);
                if (ip is null) continue;
                if (!TryIp(ip.Value, out var address))
                {
                    reporter.Error("InvalidIPAddress", $"{label} interface {normalized}: '{ip.Value}' is not a valid IP address; the address is skipped", ip.Start, ip.Value);
                    continue;
                }
                var network = reporter.Optional(ipFields, legacy ? "network" : "name");
                nic.Addresses.Add((address, string.IsNullOrEmpty(network) ? null : network));
            }
        }
        if (ok) node.Interfaces.Add(nic);
    }

    internal static bool TryIp(string? text, out string normalized)
    {
        normalized = string.Empty;
        try
        {
            normalized = MacAddress.NormalizeIp(text);
            return true;
        }
        catch (Errors.ChamiException)
        {
            return false;
        }
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" };

    private sealed class Reporter(NodesFile file)
    {
        public void Fatal(string id, string message, Mark at) => Add(id, ImportProblemSeverity.Error, message, at, null, fatal: true);

        public void Error(string id, string message, Mark at, string? target = null) => Add(id, ImportProblemSeverity.Error, message, at, target, fatal: false);

        public void Warning(string id, string message, Mark at, string? target = null) => Add(id, ImportProblemSeverity.Warning, message, at, target, fatal: false);

        private void Add(string id, ImportProblemSeverity severity, string message, Mark at, string? target, bool fatal) =>
            file.Problems.Add(new ImportProblem
            {
                Id = id,
                Severity = severity,
                Fatal = fatal,
                Message = message,
                Target = target,
                File = file.Path,
                Line = at.Line,
                Column = at.Column,
            });

        /// <summary>The keys of a mapping; unknown keys are warned about (a typo loses data silently otherwise).</summary>
        public Dictionary<string, YamlNode> Fields(YamlMappingNode map, IReadOnlySet<string> known, string what)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var key = (k as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(key))
                {
                    Warning("UnknownKey", $"unknown {what} key '{key}' ignored (known: {string.Join(", ", known)})", k.Start, key);
                    continue;
                }
                fields[key] = v;
            }
            return fields;
        }

        public YamlScalarNode? Required(Dictionary<string, YamlNode> fields, string key, YamlMappingNode map, string what, ref bool ok)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node))
            {
                Error("MissingField", $"{what}: '{key}' is required; the element is skipped", map.Start, what);
                ok = false;
                return null;
            }
            if (node is not YamlScalarNode scalar)
            {
                Error("WrongType", $"{what}: '{key}' must be a single value", node.Start, what);
                ok = false;
                return null;
            }
            return scalar;
        }

        public string? Optional(Dictionary<string, YamlNode> fields, string key)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node)) return null;
            if (node is YamlScalarNode scalar) return scalar.Value;
            Error("WrongType", $"'{key}' must be a single value", node.Start, key);
            return null;
        }
    }
}
