using System.Globalization;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>Which nodes an edit of boot parameters does not reach because a more specific entry outranks it.</summary>
internal static class BootParamsShadowFinder
{
    /// <summary>
    /// For each change, the nodes it applies to that boot from a more specific entry once every change is written
    /// (the changes count as stored, so a preview and the real run agree). One resolution per affected node, each a
    /// handful of key reads: linear in the nodes the entries apply to. A variant for one architecture applies only to
    /// nodes of that (or unknown) architecture.
    /// </summary>
    public static void Fill(IStoreSession s, List<BootParamsChange> changes, ILookup<string, string>? memberships)
    {
        var pending = new Dictionary<string, BootParamsEntry>(changes.Count, StringComparer.Ordinal);
        foreach (var change in changes) pending[change.New.Key] = change.New;
        // Group levels count when the store or this batch has a group entry; labels from the bulk read when there was one,
        // else one key read per node (a small write must not read every membership).
        Func<string, IEnumerable<string>> labelsOf =
            memberships is not null ? id => memberships[id]
            : changes.Any(c => c.Identity.Kind == BootIdentityKind.Group) || BootEntryResolver.HasGroupEntries(s) ? id => GroupService.LabelsOf(s, id)
            : _ => [];
        foreach (var change in changes)
        {
            var written = change.New;
            List<BootParamsShadow>? shadows = null;
            foreach (var request in RequestsFor(s, change.Identity))
            {
                var r = BootEntryResolver.Resolve(s, request, labelsOf, pending);
                if (r.Component is not { Type: HmsType.Node } node || r.Entry is not { } winner || winner.Key == written.Key) continue;
                if (written.Arch is not null && BootArch.FromSmd(node.Arch) is { } smdArch && smdArch != written.Arch) continue;
                (shadows ??= []).Add(new BootParamsShadow(node.ID, change.Identity, new BootIdentity(winner.Kind, winner.Value, winner.Arch)));
            }
            change.Shadows = shadows ?? (IReadOnlyList<BootParamsShadow>)[];
        }
    }

    /// <summary>One boot request per node an identity's entry applies to (as that node would boot with the entry's architecture).</summary>
    private static IEnumerable<BootRequest> RequestsFor(IStoreSession s, BootIdentity id)
    {
        var arch = id.Arch;
        switch (id.Kind)
        {
            case BootIdentityKind.Host:
                yield return new BootRequest { Name = id.Value, Arch = arch, RecordAccess = false };
                break;
            case BootIdentityKind.Mac:
                // The node booting from this NIC: its MAC is the first MAC tried.
                yield return new BootRequest { Mac = id.Value, Arch = arch, RecordAccess = false };
                break;
            case BootIdentityKind.Nid:
                yield return new BootRequest { Nid = long.Parse(id.Value, CultureInfo.InvariantCulture), Arch = arch, RecordAccess = false };
                break;
            case BootIdentityKind.Group:
                foreach (var member in GroupService.MembersOf(s, id.Value)) yield return new BootRequest { Name = member, Arch = arch, RecordAccess = false };
                break;
            case BootIdentityKind.Tag:
                var components = s.Collection<Component>();
                // Listed first: each resolution reads the store, which an open query cursor must not interleave with.
                var nodes = id.Value == BootIdentity.DefaultTag ? components.Find(c => c.Type == HmsType.Node).Select(c => c.ID).ToList()
                    : HmsValues.CanonicalRole(id.Value) is { } role ? components.Find(c => c.Role == role).Where(c => c.Type == HmsType.Node).Select(c => c.ID).ToList()
                    : []; // Unknown-<arch>, Global: no known node boots them
                foreach (var node in nodes) yield return new BootRequest { Name = node, Arch = arch, RecordAccess = false };
                break;
        }
    }
}
