using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Components of every HMS type: the SMD State/Components semantics, used by HTTP and cmdlets alike.</summary>
public sealed class ComponentService(IChamiStore store)
{
    public Component? Find(string xname)
    {
        if (!Xname.TryParse(xname, out var id, out _)) return null;
        return store.Read(s => s.Collection<Component>().Get(id));
    }

    public Component Get(string xname) =>
        Find(xname) ?? throw ChamiException.NotFound("ComponentNotFound", $"Component '{xname}' was not found", xname);

    public IReadOnlyList<Component> Query(ComponentQuery query) => store.Read(s => Query(s, query));

    internal static IReadOnlyList<Component> Query(IStoreSession session, ComponentQuery query)
    {
        var components = session.Collection<Component>();
        IEnumerable<Component> candidates;
        if (query.Id.Include.Count > 0 && query.AncestorIds.Count == 0)
        {
            candidates = query.Id.Include.Distinct().Select(components.Get).OfType<Component>();
        }
        else if (query.Nids.Count is > 0 and <= 16 && query.NidRanges.Count == 0)
        {
            // A few exact NIDs (ByNID lookups, PCS): the NID index beats a scan.
            candidates = query.Nids.Distinct().SelectMany(n => components.Find(c => c.NID == n)).DistinctBy(c => c.ID);
        }
        else if (query.Wildcards.Count > 0 && !query.Wildcards.Any(Wildcard.HasWildcard))
        {
            // Exact names given as patterns (Get-ChamiNode -Xname x1000c0s0b0n0): key reads, not a scan of the cluster.
            candidates = query.Wildcards.Distinct(StringComparer.Ordinal).Select(components.Get).OfType<Component>();
        }
        else if (query.Groups.Count > 0 && !query.Groups.Any(MembershipFilter.IsNull))
        {
            // Named groups: their members are the candidates (key reads), not every component of the cluster.
            candidates = query.Groups.Select(MembershipFilter.Normalize).Distinct()
                .SelectMany(label => GroupService.MembersOf(session, label))
                .Distinct(StringComparer.Ordinal)
                .Select(components.Get).OfType<Component>();
        }
        else
        {
            // Type/state/role have few distinct values: one sequential scan is cheaper than an index walk
            // plus a document lookup per hit (measured in bench/Smd.Bench.ps1).
            candidates = components.All();
        }

        var membership = MembershipFilter.Create(session, query);
        var result = new List<Component>();
        foreach (var c in candidates)
        {
            if (query.AncestorIds.Count > 0 && !query.AncestorIds.Any(a => Xname.IsDescendantOrSelf(c.ID, a))) continue;
            if (query.AncestorIds.Count > 0 ? !MatchesIdExclusions(query, c) : !query.Id.Matches(c.ID)) continue;
            if (!query.Type.Matches(c.Type)) continue;
            if (!query.State.Matches(c.State)) continue;
            if (!query.Flag.Matches(c.Flag)) continue;
            if (!query.Role.Matches(c.Role, StringComparer.OrdinalIgnoreCase)) continue;
            if (!query.SubRole.Matches(c.SubRole, StringComparer.OrdinalIgnoreCase)) continue;
            if (!query.SoftwareStatus.Matches(c.SoftwareStatus ?? string.Empty)) continue;
            if (!query.Subtype.Matches(c.Subtype ?? string.Empty)) continue;
            if (!query.Arch.Matches(c.Arch)) continue;
            if (!query.Class.Matches(c.Class)) continue;
            if (query.Enabled is { } enabled && (c.Enabled ?? true) != enabled) continue;
            if (query.Locked is { } locked && (c.Locked ?? false) != locked) continue;
            if (query.ReservationDisabled is { } rd && (c.ReservationDisabled ?? false) != rd) continue;
            if (!query.MatchesNid(c.NID)) continue;
            if (query.Wildcards.Count > 0 && !query.Wildcards.Any(w => Wildcard.IsMatch(c.ID, w))) continue;
            if (!membership.Matches(c.ID)) continue;
            result.Add(c);
        }
        result.Sort((a, b) => XnameComparer.Instance.Compare(a.ID, b.ID));
        return result;
    }

    private static bool MatchesIdExclusions(ComponentQuery query, Component c) => !query.Id.Exclude.Contains(c.ID);

    /// <summary>
    /// SMD POST semantics (spec/smd.md §6): new IDs are inserted with defaults; existing IDs are
    /// left alone, or with <paramref name="force"/> get State, Flag, Subtype, NetType, Arch and Class
    /// overwritten. Everything is validated before anything is written, in one transaction.
    /// </summary>
    public UpsertSummary Upsert(IEnumerable<Component> input, bool force)
    {
        var inputs = input.ToList();
        var prepared = inputs.Select(c => ComponentRules.PrepareNew(c)).ToList();
        if (prepared.Count == 0) throw ChamiException.Invalid("MissingComponents", "Missing Components");
        return store.Write(s =>
        {
            NodeMapService.ApplyDefaults(s, inputs, prepared);
            return Upsert(s, prepared, force);
        });
    }

    internal static UpsertSummary Upsert(IStoreSession session, IReadOnlyList<Component> prepared, bool force)
    {
        var components = session.Collection<Component>();
        var summary = new UpsertSummary();
        // New components are inserted in one batch at the end; a repeated ID in the request acts on the queued one.
        var queued = new Dictionary<string, Component>(StringComparer.Ordinal);
        var inserts = new List<Component>();
        foreach (var component in prepared)
        {
            if (queued.TryGetValue(component.ID, out var pending))
            {
                if (force) OverwriteStateFields(pending, component);
                continue;
            }
            var existing = components.Get(component.ID);
            if (existing is null)
            {
                queued[component.ID] = component;
                inserts.Add(component);
                summary.Added.Add(component.ID);
            }
            else if (force)
            {
                OverwriteStateFields(existing, component);
                components.Update(existing);
                summary.Updated.Add(component.ID);
            }
            else
            {
                summary.Unchanged.Add(component.ID);
            }
        }
        components.InsertMany(inserts);
        return summary;
    }

    /// <summary>What a forced POST/PUT may change on an existing component (spec/smd.md §6); a Locked flag stays.</summary>
    private static void OverwriteStateFields(Component target, Component source)
    {
        target.State = source.State;
        target.Flag = target.Flag == HmsFlag.Locked ? HmsFlag.Locked : source.Flag;
        target.Subtype = source.Subtype;
        target.NetType = source.NetType;
        target.Arch = source.Arch;
        target.Class = source.Class;
    }

    /// <summary>Creates one component; an existing ID is a <c>ComponentExists</c> conflict.</summary>
    public Component Create(Component input)
    {
        var component = ComponentRules.PrepareNew(input, requireState: false);
        return store.Write(s =>
        {
            var components = s.Collection<Component>();
            if (components.Exists(component.ID))
            {
                throw ChamiException.Conflict("ComponentExists", $"Component '{component.ID}' already exists", component.ID);
            }
            components.Insert(component);
            return component;
        });
    }

    /// <summary>Applies a patch to one component and returns it as stored.</summary>
    public Component Update(string xname, ComponentPatch patch) => store.Write(s => Update(s, xname, patch));

    internal static Component Update(IStoreSession session, string xname, ComponentPatch patch)
    {
        var id = Xname.Parse(xname);
        var components = session.Collection<Component>();
        var component = components.Get(id) ?? throw ChamiException.NotFound("ComponentNotFound", $"Component '{id}' was not found", id);
        Apply(component, patch);
        components.Update(component);
        return component;
    }

    /// <summary>Validates a patch against a component without storing it (for -WhatIf and dry runs).</summary>
    public static Component Preview(Component current, ComponentPatch patch)
    {
        var copy = current.Clone();
        Apply(copy, patch);
        return copy;
    }

    /// <summary>
    /// Applies <paramref name="patch"/>. A state change the state machine refuses throws, or with
    /// <paramref name="skipDisallowed"/> (SMD's bulk semantics) leaves the component alone and returns false.
    /// </summary>
    private static bool Apply(Component component, ComponentPatch patch, bool skipDisallowed = false)
    {
        if (patch.State is { } state)
        {
            if (!patch.Force && !ComponentRules.IsTransitionAllowed(component.State, state))
            {
                if (skipDisallowed) return false;
                throw ChamiException.Invalid("StateTransitionNotAllowed",
                    $"changing '{component.ID}' from {component.State} to {state} is not allowed and not forced", component.ID);
            }
            component.State = state;
        }
        if (patch.Flag is { } flag)
        {
            // A locked component stays locked through state changes (spec/smd.md §6). Asked for another flag in
            // the same request, one component is refused rather than changed without it; bulk keeps SMD's rule.
            var keepLocked = patch.State is not null && component.Flag == HmsFlag.Locked;
            if (keepLocked && flag != HmsFlag.Locked && !patch.FlagIsDefault && !skipDisallowed)
            {
                throw ChamiException.Invalid("FlagLocked",
                    $"'{component.ID}' is Locked and a state change keeps that flag, so Flag {flag} would not be applied; change the flag alone first (PATCH .../FlagOnly, Set-ChamiNode -Flag)", component.ID);
            }
            component.Flag = keepLocked ? HmsFlag.Locked : flag;
        }
        if (patch.Enabled is { } enabled) component.Enabled = enabled;
        if (patch.SoftwareStatus is not null) component.SoftwareStatus = patch.SoftwareStatus;
        if (patch.Role is not null) component.Role = HmsValues.ParseRole(patch.Role);
        if (patch.SubRole is not null) component.SubRole = patch.SubRole.Length == 0 ? null : HmsValues.ParseSubRole(patch.SubRole);
        if (patch.UnsetNid) component.NID = null;
        else if (patch.NID is { } nid)
        {
            if (nid < 0) throw ChamiException.Invalid("InvalidNid", $"NID {nid} is negative", component.ID);
            component.NID = nid;
        }
        if (patch.Subtype is not null) component.Subtype = patch.Subtype;
        if (patch.NetType is { } netType) component.NetType = netType;
        if (patch.Arch is { } arch) component.Arch = arch;
        if (patch.Class is { } cls) component.Class = cls;
        return true;
    }

    /// <summary>
    /// SMD's bulk PATCH semantics (spec/smd.md §2.2): every ID is validated first (one invalid ID fails the
    /// whole request and nothing changes); valid IDs that don't exist are skipped; without Force, components
    /// whose current state can't move to the target are skipped, and targets reachable only by force
    /// (Unknown, Empty, Populated) are refused. One transaction. Returns the IDs changed.
    /// </summary>
    /// <remarks>
    /// With <paramref name="strict"/> (the per-component routes) a refused transition fails the request with the
    /// reason instead of a 204 that silently drops every field of it.
    /// </remarks>
    public IReadOnlyList<string> PatchMany(IEnumerable<string> xnames, ComponentPatch patch, bool strict = false)
    {
        var ids = ParseIds(xnames);
        ValidatePatch(patch);
        return store.Write(s =>
        {
            var components = s.Collection<Component>();
            var changed = new List<string>();
            foreach (var id in ids)
            {
                if (components.Get(id) is not { } component) continue;
                if (!Apply(component, patch, skipDisallowed: !strict)) continue;
                components.Update(component);
                changed.Add(id);
            }
            return changed;
        });
    }

    /// <summary>Sets each component's own NID (BulkNID); a null or negative NID unsets it. Same rules as <see cref="PatchMany"/>.</summary>
    public IReadOnlyList<string> SetNids(IEnumerable<(string Xname, long? Nid)> assignments)
    {
        var list = assignments.ToList();
        var ids = ParseIds(list.Select(a => a.Xname));
        return store.Write(s =>
        {
            var components = s.Collection<Component>();
            var changed = new List<string>();
            for (var i = 0; i < ids.Count; i++)
            {
                if (components.Get(ids[i]) is not { } component) continue;
                component.NID = list[i].Nid is >= 0 ? list[i].Nid : null;
                components.Update(component);
                changed.Add(ids[i]);
            }
            return changed;
        });
    }

    /// <summary>The first component with this NID, or null.</summary>
    public Component? FindByNid(long nid) => store.Read(s => s.Collection<Component>().FindOne(c => c.NID == nid));

    private static List<string> ParseIds(IEnumerable<string> xnames)
    {
        var ids = new List<string>();
        foreach (var x in xnames)
        {
            if (!Xname.TryParse(x, out var id, out _))
            {
                throw ChamiException.Invalid("InvalidXname", $"invalid xname ID '{x}'", x);
            }
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>Checks what can be checked before touching any component (values, force-only targets).</summary>
    private static void ValidatePatch(ComponentPatch patch)
    {
        if (patch.State is HmsState.Unknown or HmsState.Empty or HmsState.Populated && !patch.Force)
        {
            throw ChamiException.Invalid("StateTransitionNotAllowed", "operation not allowed and not forced.");
        }
        if (patch.Role is not null) HmsValues.ParseRole(patch.Role);
        if (patch.SubRole is { Length: > 0 }) HmsValues.ParseSubRole(patch.SubRole);
        if (patch.NID is < 0 && !patch.UnsetNid) throw ChamiException.Invalid("InvalidNid", $"NID {patch.NID} is negative");
    }

    /// <summary>Deletes a component and its group and partition memberships; returns what was deleted.</summary>
    public Component Delete(string xname) => store.Write(s => Delete(s, Xname.Parse(xname)));

    internal static Component Delete(IStoreSession session, string id)
    {
        var components = session.Collection<Component>();
        var existing = components.Get(id) ?? throw ChamiException.NotFound("ComponentNotFound", $"Component '{id}' was not found", id);
        components.Delete(id);
        GroupService.RemoveMemberEverywhere(session, id);
        return existing;
    }

    /// <summary>Deletes every component; returns how many.</summary>
    public int DeleteAll() => store.Write(s =>
    {
        var count = s.Collection<Component>().DeleteAll();
        // Every membership goes with its component (each journaled as a member removed).
        s.Collection<GroupMember>().DeleteAll();
        s.Collection<PartitionMember>().DeleteAll();
        return count;
    });
}

/// <summary>What a bulk upsert did, by xname.</summary>
public sealed class UpsertSummary
{
    public List<string> Added { get; } = [];

    public List<string> Updated { get; } = [];

    public List<string> Unchanged { get; } = [];
}
