using System.Globalization;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>
/// Which boot parameters entry a node boots from (spec/bss.md §5), inside one snapshot. The same for HTTP,
/// Get-ChamiBootScript and Set-ChamiBootParams.
///
/// Resolution order (most specific wins):
///   1. host entry of the node's xname
///   2. MAC entries: the requesting MAC first, then the node's other MACs (oldest interface first)
///   3. NID entry
///   4. group entries of the node's SMD groups (labels in ordinal order)
///   5. role tag (e.g. <c>Compute</c>)
///   6. <c>Default</c>
/// At each level an entry for the node's architecture (request <c>arch=</c>, else SMD <c>Arch</c>) is
/// preferred to the architecture-less one. Spec §5.2 looks up the request key first; we rank the node's
/// own xname first so a node gets the same script whether it asks by MAC, name or NID.
/// </summary>
internal static class BootEntryResolver
{
    internal static string SourceOf(BootParamsEntry e) =>
        $"{BootIdentity.KindName(e.Kind)}:{e.Value}" + (e.Arch is null ? string.Empty : $"|{e.Arch}");

    /// <summary>
    /// Step 1 (component) and step 2 (entry) of the resolution, inside one snapshot. <paramref name="labelsOf"/>, when
    /// given, says group levels count and where a node's group labels come from (bulk work reads them once).
    /// <paramref name="pending"/> are entries about to be written, seen as if stored (what a -WhatIf preview resolves against).
    /// </summary>
    internal static BootResolution Resolve(IStoreSession s, BootRequest request, Func<string, IEnumerable<string>>? labelsOf = null,
        IReadOnlyDictionary<string, BootParamsEntry>? pending = null)
    {
        var components = s.Collection<Component>();
        var nics = s.Collection<EthernetInterface>();
        Component? component = null;
        if (request.Mac is not null)
        {
            if (nics.Get(MacAddress.ToId(request.Mac)) is { ComponentID.Length: > 0 } nic && components.Get(nic.ComponentID) is { } c && c.State != HmsState.Empty)
            {
                component = c;
            }
        }
        else if (request.Name is not null)
        {
            if (Xname.TryParse(request.Name, out var id, out _)) component = components.Get(id);
        }
        else if (request.Nid is { } wantedNid)
        {
            component = components.Find(c => c.NID == wantedNid).FirstOrDefault(c => c.Type == HmsType.Node);
        }

        // The node's MACs (request MAC first) cost a query: read them only when a level needs them.
        List<string>? allMacs = null;
        List<string> AllMacs()
        {
            if (allMacs is not null) return allMacs;
            allMacs = request.Mac is null ? [] : [request.Mac];
            if (component is not null)
            {
                var componentId = component.ID;
                // Deterministic: oldest interface first, then by MAC (index order of equal keys is not).
                foreach (var nic in nics.Find(e => e.ComponentID == componentId).OrderBy(e => e.LastUpdate).ThenBy(e => e.MACAddress, StringComparer.Ordinal))
                {
                    if (!allMacs.Contains(nic.MACAddress)) allMacs.Add(nic.MACAddress);
                }
            }
            return allMacs;
        }
        var arch = BootArch.NormalizeOrNull(request.Arch) ?? BootArch.FromSmd(component?.Arch);

        // Most specific first, generated lazily: a node with its own entry costs one key read here.
        IEnumerable<BootIdentity> Candidates()
        {
            var hostName = component?.ID ?? (request.Name is not null && Xname.TryParse(request.Name, out var n, out _) ? n : null);
            if (hostName is not null) yield return new BootIdentity(BootIdentityKind.Host, hostName);
            foreach (var mac in AllMacs()) yield return new BootIdentity(BootIdentityKind.Mac, mac);
            var nid = component?.NID ?? (component is null ? request.Nid : null);
            if (nid is >= 0) yield return new BootIdentity(BootIdentityKind.Nid, nid.Value.ToString(CultureInfo.InvariantCulture));
            if (component is not null)
            {
                // Only read memberships when some group has boot parameters.
                if (labelsOf is not null || HasGroupEntries(s))
                {
                    var labels = labelsOf is null ? GroupService.LabelsOf(s, component.ID) : labelsOf(component.ID);
                    foreach (var label in labels.Order(StringComparer.Ordinal)) yield return new BootIdentity(BootIdentityKind.Group, label);
                }
                if (HmsValues.CanonicalRole(component.Role) is { } role) yield return new BootIdentity(BootIdentityKind.Tag, role);
                foreach (var glob in MatchingGlobs(s, component.ID)) yield return glob; // boot configurations' host globs (spec/boot-service.md §6)
            }
            yield return new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag);
        }

        var entries = s.Collection<BootParamsEntry>();
        BootParamsEntry? Get(string key) => pending is not null && pending.TryGetValue(key, out var p) ? p : entries.Get(key);
        BootParamsEntry? hit = null;
        foreach (var candidate in Candidates())
        {
            hit = (arch is null ? null : Get((candidate with { Arch = arch }).Key)) ?? Get(candidate.Key);
            if (hit is not null) break;
        }
        // A MAC request chains back by its own MAC; other requests need the node's first MAC.
        var macs = allMacs ?? (request.Mac is not null ? [request.Mac] : AllMacs());
        return hit is null
            ? new BootResolution { Component = component, Macs = macs, Arch = arch }
            : new BootResolution { Component = component, Macs = macs, Entry = hit, Source = SourceOf(hit), Arch = arch };
    }

    /// <summary>Host globs matching <paramref name="xname"/>, highest priority then name first; an index seek on Kind when there are none.</summary>
    internal static IEnumerable<BootIdentity> MatchingGlobs(IStoreSession s, string xname) =>
        s.Collection<BootParamsEntry>().FindOne(e => e.Kind == BootIdentityKind.Glob) is null ? []
        : s.Collection<BootParamsEntry>().Find(e => e.Kind == BootIdentityKind.Glob).Where(e => BootHostGlob.Matches(e.Value, xname))
            .OrderByDescending(e => e.Priority).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => new BootIdentity(BootIdentityKind.Glob, e.Value)).DistinctBy(i => i.Key).ToList();

    /// <summary>An index seek on Kind: every boot request asks this, so it must not scan the entries.</summary>
    internal static bool HasGroupEntries(IStoreSession s) =>
        s.Collection<BootParamsEntry>().FindOne(e => e.Kind == BootIdentityKind.Group) is not null;

    /// <summary>Every node's group labels, read once (bulk edits resolve thousands of nodes).</summary>
    internal static ILookup<string, string>? Memberships(IStoreSession s) =>
        HasGroupEntries(s)
            ? s.Collection<GroupMembership>().All().SelectMany(m => m.Labels.Select(label => (m.ID, Label: label))).ToLookup(p => p.ID, p => p.Label)
            : null;
}
