using System.Text.RegularExpressions;
using OpenChami.Core.Errors;

namespace OpenChami.Core.MetadataService;

/// <summary>
/// What a Jinja template (<c>## template: jinja</c>) stored through metadata-service may reference, checked when it is
/// written (spec/metadata-service.md §2): the meta-data this server serves, as cloud-init exposes it to templates
/// (<c>ds.meta_data.*</c>, hyphens read as underscores), and cloud-init's standardized <c>v1.*</c> keys. Names a
/// template defines itself (<c>{% set %}</c>, <c>{% for %}</c>) are fine; anything else would render empty on the
/// node, so it is refused with 400 instead. Templates without the Jinja header are not rendered and not checked.
/// </summary>
public static partial class TemplateVariables
{
    /// <summary>Top-level meta-data keys (underscore spelling), and what may follow <c>instance_data.v1</c>.</summary>
    private static readonly HashSet<string> MetaDataKeys = ["instance_id", "local_hostname", "hostname", "cluster_name", "instance_data"];

    private static readonly HashSet<string> V1Keys =
        ["instance_id", "local_ipv4", "public_keys", "availability_zone", "region", "cloud_provider", "instance_type", "vendor_data"];

    private static readonly HashSet<string> VendorDataKeys = ["version", "cloud_init_base_url", "cluster_name", "nid", "role", "mac", "groups"];

    /// <summary>cloud-init's standardized instance-data keys (<c>{{ v1.local_hostname }}</c>).</summary>
    private static readonly HashSet<string> CloudInitV1Keys =
    [
        "availability_zone", "cloud_id", "cloud_name", "cloud_platform", "distro", "distro_release", "distro_version", "instance_id",
        "kernel_release", "local_hostname", "machine", "platform", "public_ssh_keys", "python_version", "region", "subplatform",
        "system_platform", "variant",
    ];

    private static readonly HashSet<string> JinjaWords =
        ["and", "or", "not", "in", "is", "if", "else", "elif", "endif", "for", "endfor", "set", "endset", "true", "false", "none", "True", "False", "None",
         "loop", "range", "macro", "endmacro", "raw", "endraw", "with", "endwith", "defined", "undefined"];

    public static bool IsJinja(string template) => template.StartsWith("## template: jinja", StringComparison.Ordinal);

    /// <summary>Throws Invalid (400) naming the first variable the template uses that the meta-data doesn't define.</summary>
    public static void Check(string template, string what)
    {
        if (!IsJinja(template)) return;
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match block in Block().Matches(template))
        {
            var body = block.Groups["body"].Value;
            if (block.Value.StartsWith("{%", StringComparison.Ordinal))
            {
                if (ForLoop().Match(body) is { Success: true } loop)
                {
                    foreach (var name in loop.Groups["vars"].Value.Split(',')) defined.Add(name.Trim());
                    body = loop.Groups["rest"].Value;
                }
                else if (SetStatement().Match(body) is { Success: true } set)
                {
                    defined.Add(set.Groups["var"].Value);
                    body = set.Groups["rest"].Value;
                }
            }
            foreach (var path in References(body))
            {
                if (!defined.Contains(path[0]) && !IsDefined(path))
                {
                    throw ChamiException.Invalid("UndefinedTemplateVariable",
                        $"{what} references '{string.Join('.', path)}', which the meta-data does not define (use ds.meta_data.* or v1.*)");
                }
            }
        }
    }

    private static IEnumerable<string[]> References(string expression)
    {
        // ds.meta_data['local-hostname'] reads as ds.meta_data.local_hostname; then string literals are no names.
        var withoutStrings = StringLiteral().Replace(Subscript().Replace(expression, m => "." + m.Groups["key"].Value), "\"\"");
        foreach (Match match in Reference().Matches(withoutStrings))
        {
            var before = withoutStrings[..match.Index].TrimEnd();
            // Filters and tests (`| join`, `is defined`) and attribute access of a literal are not variables.
            if (before.EndsWith('|') || before.EndsWith(" is", StringComparison.Ordinal) || before.EndsWith('.')) continue;
            var head = match.Groups["head"].Value;
            if (JinjaWords.Contains(head)) continue;
            var after = withoutStrings[(match.Index + match.Length)..].TrimStart();
            if (after.StartsWith('(') && match.Groups["tail"].Captures.Count == 0) continue; // a function (range(), lookup())
            var path = new List<string> { head };
            path.AddRange(match.Groups["tail"].Captures.Select(c => c.Value.TrimStart('.').Replace('-', '_')));
            yield return [.. path];
        }
    }

    private static bool IsDefined(string[] path)
    {
        switch (path[0])
        {
            case "v1":
                return path.Length == 1 || CloudInitV1Keys.Contains(path[1]);
            case "ds":
                if (path.Length == 1) return true;
                if (path[1] != "meta_data") return false;
                if (path.Length == 2) return true;
                if (!MetaDataKeys.Contains(path[2])) return false;
                if (path[2] != "instance_data" || path.Length == 3) return true;
                if (path[3] != "v1") return false;
                if (path.Length == 4) return true;
                if (!V1Keys.Contains(path[4])) return false;
                if (path[4] != "vendor_data" || path.Length == 5) return true;
                return VendorDataKeys.Contains(path[5]); // below groups.<name> is the group's own meta-data: anything
            default:
                return false;
        }
    }

    [GeneratedRegex(@"\{\{(?<body>.*?)\}\}|\{%-?(?<body>.*?)-?%\}", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^\s*for\s+(?<vars>[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s+in\s+(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex ForLoop();

    [GeneratedRegex(@"^\s*set\s+(?<var>[A-Za-z_][A-Za-z0-9_]*)\s*=(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex SetStatement();

    [GeneratedRegex(@"\[\s*['""](?<key>[A-Za-z_][A-Za-z0-9_-]*)['""]\s*\]")]
    private static partial Regex Subscript();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<head>[A-Za-z_][A-Za-z0-9_]*)(?<tail>\.[A-Za-z_][A-Za-z0-9_-]*)*")]
    private static partial Regex Reference();
}
