using System.Globalization;
using System.Text;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Import;

/// <summary>
/// Reads a node CSV (header row; columns in any order, names case-insensitive): <c>xname</c> (required), <c>name</c>,
/// <c>nid</c> (default: computed from the xname), <c>mac</c>, <c>ip</c> (paired with <c>mac</c> by position),
/// <c>network</c>, <c>groups</c>, and for the BMC <c>bmc_mac</c>, <c>bmc_ip</c>, <c>bmc_fqdn</c> (rows sharing a
/// <c>bmc_mac</c> share a BMC, as in the old nodes.yaml format). A cell may hold several values separated by ';'.
/// </summary>
public static class CsvInventoryParser
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "xname", "id", "name", "nid", "mac", "macaddress", "mac_addr", "ip", "ipaddress", "ip_addr", "network", "groups", "group",
        "bmc_mac", "bmc_ip", "bmc_fqdn",
    };

    public static NodesFile Parse(string text, string path)
    {
        var file = new NodesFile { Path = path, LegacyFormat = true };
        var rows = ReadRows(text);
        if (rows.Count == 0)
        {
            Add(file, "InvalidInventoryFile", "the CSV file is empty (expected a header row with at least 'xname')", 0, fatal: true);
            return file;
        }
        var header = rows[0].Fields.Select(h => h.Trim()).ToList();
        if (!header.Any(h => h.Equals("xname", StringComparison.OrdinalIgnoreCase) || h.Equals("id", StringComparison.OrdinalIgnoreCase)))
        {
            Add(file, "MissingField", "the CSV header has no 'xname' column", rows[0].Line, fatal: true);
            return file;
        }
        foreach (var unknown in header.Where(h => !Known.Contains(h)))
        {
            Add(file, "UnknownKey", $"unknown CSV column '{unknown}' ignored", rows[0].Line, severity: ImportProblemSeverity.Warning);
        }

        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.All(string.IsNullOrWhiteSpace)) continue;
            string? Cell(params string[] names)
            {
                foreach (var name in names)
                {
                    var i = header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
                    if (i >= 0 && i < row.Fields.Count && !string.IsNullOrWhiteSpace(row.Fields[i])) return row.Fields[i].Trim();
                }
                return null;
            }
            static List<string> Split(string? cell) =>
                cell is null ? [] : cell.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

            var raw = Cell("xname", "id");
            if (raw is null || !Xname.TryParse(raw, out var xname, out _))
            {
                Add(file, raw is null ? "MissingField" : "InvalidXname", raw is null ? "row has no xname; skipped" : $"'{raw}' is not a valid xname; row skipped", row.Line, target: raw);
                continue;
            }
            var node = new NodeEntry { Xname = xname, Name = Cell("name") ?? xname, Line = row.Line };
            var nid = Cell("nid");
            if (nid is null) node.Nid = Xname.ComputeNid(xname) ?? 0;
            else if (long.TryParse(nid, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) node.Nid = n;
            else
            {
                Add(file, "InvalidNid", $"{xname}: nid '{nid}' is not a non-negative integer; row skipped", row.Line, target: xname);
                continue;
            }
            var macs = Split(Cell("mac", "macaddress", "mac_addr"));
            var ips = Split(Cell("ip", "ipaddress", "ip_addr"));
            var network = Cell("network");
            for (var i = 0; i < macs.Count; i++)
            {
                if (!MacAddress.TryNormalize(macs[i], out var mac))
                {
                    Add(file, "InvalidMacAddress", $"{xname}: '{macs[i]}' is not a valid MAC address; the interface is skipped", row.Line, target: macs[i]);
                    continue;
                }
                var nic = new NicEntry { Mac = mac };
                // One MAC: every IP belongs to it. Several: one IP per MAC by position.
                foreach (var ip in macs.Count == 1 ? ips : ips.Skip(i).Take(1))
                {
                    if (NodesFileParser.TryIp(ip, out var address)) nic.Addresses.Add((address, network));
                    else Add(file, "InvalidIPAddress", $"{xname}: '{ip}' is not a valid IP address; the address is skipped", row.Line, target: ip);
                }
                node.Interfaces.Add(nic);
            }
            foreach (var group in Split(Cell("groups", "group")))
            {
                try { node.Groups.Add(GroupService.NormalizeLabel(group)); }
                catch (Errors.ChamiException ex) { Add(file, "InvalidGroupLabel", $"{xname}: {ex.Message}; the group is skipped", row.Line, target: group); }
            }
            var bmcMac = Cell("bmc_mac");
            var bmcIp = Cell("bmc_ip");
            if (bmcMac is not null || bmcIp is not null)
            {
                if (!MacAddress.TryNormalize(bmcMac, out var m)) Add(file, "InvalidMacAddress", $"{xname}: bmc_mac '{bmcMac}' is not a valid MAC address; the node's BMC is skipped", row.Line, target: bmcMac);
                else if (!NodesFileParser.TryIp(bmcIp, out var ip)) Add(file, "InvalidIPAddress", $"{xname}: bmc_ip '{bmcIp}' is not a valid IP address; the node's BMC is skipped", row.Line, target: bmcIp);
                else
                {
                    node.BmcMac = m;
                    node.BmcIp = ip;
                    node.BmcFqdn = Cell("bmc_fqdn");
                }
            }
            file.Nodes.Add(node);
        }
        return file;
    }

    private static void Add(NodesFile file, string id, string message, long line, bool fatal = false, ImportProblemSeverity severity = ImportProblemSeverity.Error, string? target = null) =>
        file.Problems.Add(new ImportProblem { Id = id, Severity = severity, Fatal = fatal, Message = message, File = file.Path, Line = line, Column = line > 0 ? 1 : 0, Target = target });

    private sealed record Row(long Line, List<string> Fields);

    /// <summary>RFC 4180: quoted fields may contain commas, quotes ("") and newlines.</summary>
    private static List<Row> ReadRows(string text)
    {
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        long line = 1, rowLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    rows.Add(new Row(rowLine, fields));
                    fields = [];
                    rowLine = ++line;
                    break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add(new Row(rowLine, fields));
        }
        if (rows.Count > 0 && rows[0].Fields.Count > 0) rows[0].Fields[0] = rows[0].Fields[0].TrimStart('\uFEFF');
        return rows;
    }
}
