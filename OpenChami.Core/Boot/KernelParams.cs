namespace OpenChami.Core.Boot;

/// <summary>Kernel command-line token handling (spec/bss.md §5.5). Tokens are whitespace-separated; nothing is done by substring.</summary>
public static class KernelParams
{
    private static readonly char[] Whitespace = [' ', '\t', '\r', '\n'];

    public static string[] Tokens(string? commandLine) =>
        (commandLine ?? string.Empty).Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);

    public static bool HasKey(string? commandLine, string prefix) =>
        Tokens(commandLine).Any(t => t.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// Adds and removes arguments. <c>key=value</c> added replaces every <c>key=...</c>; a bare <c>flag</c> is added once.
    /// Removing <c>key</c> drops <c>key</c> and every <c>key=...</c>; removing <c>key=value</c> drops only that token.
    /// </summary>
    public static string Edit(string commandLine, IEnumerable<string> add, IEnumerable<string> remove)
    {
        var tokens = Tokens(commandLine).ToList();
        foreach (var r in remove.SelectMany(Tokens))
        {
            tokens.RemoveAll(t => r.Contains('=') ? t == r : t == r || t.StartsWith(r + "=", StringComparison.Ordinal));
        }
        foreach (var a in add.SelectMany(Tokens))
        {
            var eq = a.IndexOf('=');
            if (eq > 0)
            {
                var key = a[..(eq + 1)];
                var at = tokens.FindIndex(t => t.StartsWith(key, StringComparison.Ordinal));
                tokens.RemoveAll(t => t.StartsWith(key, StringComparison.Ordinal));
                tokens.Insert(at < 0 ? tokens.Count : Math.Min(at, tokens.Count), a);
            }
            else if (!tokens.Contains(a))
            {
                tokens.Add(a);
            }
        }
        return string.Join(' ', tokens);
    }

    /// <summary>The command line iPXE passes to the kernel: stored params plus the automatic additions, in spec order.</summary>
    public static string Build(string? stored, string? xname, long? nid, string? bootMac, string? seedUrl, bool hasInitrd)
    {
        var line = (stored ?? string.Empty).Trim();
        var tokens = Tokens(line);
        bool Has(string prefix) => tokens.Any(t => t.StartsWith(prefix, StringComparison.Ordinal));
        void Append(string token) => line = line.Length == 0 ? token : line + " " + token;
        if (xname is not null && !Has("xname=")) Append("xname=" + xname);
        if (nid is not null && !Has("nid=")) Append("nid=" + nid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (bootMac is not null && !Has("BOOTIF=")) Append("BOOTIF=01-" + bootMac.Replace(':', '-'));
        if (seedUrl is not null && !Has("ds=")) Append("ds=nocloud-net;s=" + seedUrl);
        if (hasInitrd)
        {
            // Token-based (upstream removed the first substring "initrd" anywhere: spec/bss.md §9 #10).
            line = string.Join(' ', new[] { "initrd=initrd" }.Concat(Tokens(line).Where(t => !t.StartsWith("initrd=", StringComparison.Ordinal))));
        }
        return line;
    }
}
