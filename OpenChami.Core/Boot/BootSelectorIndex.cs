using System.Security.Cryptography;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Boot;

/// <summary>
/// Keeps the per-identity selector index (<see cref="BootParamsEntry"/>, collection <c>boot_params</c>) in step with
/// the boot configurations (spec/boot-service.md §6), from every configuration write, in the same transaction, at the
/// storage layer (like GroupMembershipIndex): no service can forget it. An index entry lists every configuration with
/// that selector and carries the winner's values (the configuration BSS owns for that key, else the highest priority,
/// then the name ascending), so <c>/boot/v1</c> resolves with the key reads it always made. A change costs one read and
/// one write per selector of the configuration.
/// </summary>
internal static class BootSelectorIndex
{
    public static void Apply(IStoreSession session, object? before, object? after)
    {
        var old = before as BootConfiguration;
        var now = after as BootConfiguration;
        var newIds = now?.Identities().ToDictionary(i => i.Key, StringComparer.Ordinal) ?? [];
        var keys = new Dictionary<string, BootIdentity>(StringComparer.Ordinal);
        if (old is not null) foreach (var id in old.Identities()) keys[id.Key] = id;
        foreach (var (key, id) in newIds) keys[key] = id;
        var entries = session.Collection<BootParamsEntry>();
        var configs = session.Collection<BootConfiguration>();
        foreach (var (key, id) in keys)
        {
            var entry = entries.Get(key);
            var uids = entry?.Configs ?? [];
            if (old is not null) uids.Remove(old.Uid);
            if (now is not null && newIds.ContainsKey(key) && !uids.Contains(now.Uid)) uids.Add(now.Uid);
            if (uids.Count == 0)
            {
                if (entry is not null) entries.Delete(key);
                continue;
            }
            uids.Sort(StringComparer.Ordinal);
            var winner = uids.Select(u => now is not null && u == now.Uid ? now : configs.Get(u)).OfType<BootConfiguration>()
                .OrderByDescending(c => c.BssKey == key).ThenByDescending(c => c.Priority).ThenBy(c => c.Name, StringComparer.Ordinal).First();
            entries.Upsert(Project(id, winner, uids));
        }
    }

    /// <summary>The index entry for one identity, carrying <paramref name="winner"/>'s values.</summary>
    internal static BootParamsEntry Project(BootIdentity id, BootConfiguration winner, List<string> uids) => new()
    {
        Key = id.Key, Kind = id.Kind, Value = id.Value, Arch = id.Arch,
        Kernel = winner.Kernel, Initrd = winner.Initrd, Params = winner.Params, CloudInit = winner.CloudInit,
        ReferralToken = winner.ReferralToken, Updated = winner.UpdatedAt,
        Configs = uids, Config = winner.Uid, Name = winner.Name, Priority = winner.Priority,
    };

    // ---------- what BSS writes (spec/bss.md §4, Set-ChamiBootParams) ----------

    /// <summary>Priority of the configurations BSS writes: an explicit per-identity override wins ties in /boot-service.</summary>
    public const int BssPriority = 100;

    /// <summary>
    /// Writes <paramref name="entry"/>'s values as the identity's own single-selector configuration (made when it has
    /// none): a BSS write for one host of a multi-selector configuration leaves that configuration alone and, through
    /// its own configuration, outranks it for that host (spec/boot-service.md §6).
    /// </summary>
    public static BootConfiguration WriteBss(IStoreSession s, BootParamsEntry entry)
    {
        var configs = s.Collection<BootConfiguration>();
        var own = s.Collection<BootParamsEntry>().Get(entry.Key) is { } indexed
            ? indexed.Configs.Select(configs.Get).FirstOrDefault(c => c?.BssKey == entry.Key)
            : null;
        var now = entry.Updated == default ? DateTime.UtcNow : entry.Updated;
        var config = own ?? new BootConfiguration
        {
            Uid = NewUid(configs),
            Name = FreeName(configs, BssName(entry.Key)),
            CreatedAt = now,
            BssKey = entry.Key,
            Priority = BssPriority,
        };
        config.Hosts = entry.Kind is BootIdentityKind.Host or BootIdentityKind.Tag ? [entry.Value] : [];
        config.Macs = entry.Kind == BootIdentityKind.Mac ? [entry.Value] : [];
        config.Nids = entry.Kind == BootIdentityKind.Nid ? [long.Parse(entry.Value, System.Globalization.CultureInfo.InvariantCulture)] : [];
        config.Groups = entry.Kind == BootIdentityKind.Group ? [entry.Value] : [];
        config.Arch = entry.Arch;
        config.Kernel = entry.Kernel;
        config.Initrd = entry.Initrd;
        config.Params = entry.Params;
        config.CloudInit = entry.CloudInit;
        config.ReferralToken = entry.ReferralToken;
        config.UpdatedAt = now;
        configs.Upsert(config);
        return config;
    }

    /// <summary>
    /// A BSS delete of one identity: the selector leaves every configuration that has it; a configuration left without
    /// selectors is deleted (it would otherwise turn into a catch-all).
    /// </summary>
    public static void RemoveSelector(IStoreSession s, string key)
    {
        if (s.Collection<BootParamsEntry>().Get(key) is not { } entry) return;
        var configs = s.Collection<BootConfiguration>();
        foreach (var uid in entry.Configs.ToList())
        {
            if (configs.Get(uid) is not { } config) continue;
            var remaining = config.Identities().Where(i => i.Key != key).ToList();
            if (remaining.Count == 0 || config.BssKey == key)
            {
                configs.Delete(uid);
                continue;
            }
            config.Hosts.RemoveAll(h => HostKey(h, config.Arch) == key);
            config.Macs.RemoveAll(m => new BootIdentity(BootIdentityKind.Mac, m, config.Arch).Key == key);
            config.Nids.RemoveAll(n => new BootIdentity(BootIdentityKind.Nid, n.ToString(System.Globalization.CultureInfo.InvariantCulture), config.Arch).Key == key);
            config.Groups.RemoveAll(g => new BootIdentity(BootIdentityKind.Group, g, config.Arch).Key == key);
            config.UpdatedAt = DateTime.UtcNow;
            configs.Update(config);
        }
    }

    private static string HostKey(string host, string? arch) => new BootConfiguration { Hosts = [host], Arch = arch }.Identities()[0].Key;

    internal static string NewUid(IDocumentCollection<BootConfiguration> configs)
    {
        string uid;
        do uid = BootConfigurationSpec.ResourceKind.NewUid(); while (configs.Exists(uid));
        return uid;
    }

    /// <summary><c>bss-host-x1000c0s0b0n0</c>, <c>bss-mac-52-54-00-be-ef-01-arm64</c>, <c>bss-tag-default</c>.</summary>
    internal static string BssName(string key) =>
        "bss-" + new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-').ToArray());

    private static string FreeName(IDocumentCollection<BootConfiguration> configs, string name)
    {
        if (configs.FindOne(c => c.Name == name) is null) return name;
        var suffixed = name + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name + Guid.NewGuid())))[..6];
        return configs.FindOne(c => c.Name == suffixed) is null ? suffixed
            : throw ChamiException.Conflict("BootConfigurationExists", $"a boot configuration named '{suffixed}' exists", suffixed);
    }
}
