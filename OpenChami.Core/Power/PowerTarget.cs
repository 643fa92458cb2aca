namespace OpenChami.Core.Power;

/// <summary>
/// Everything needed to power-control one component through its BMC: where the BMC answers, the
/// Redfish resource of the component, the reset action's target and the ResetType values the BMC
/// advertised (empty = the BMC advertised none; then <see cref="ActionInfo"/> is read before acting).
/// </summary>
public sealed record PowerTarget
{
    /// <summary>The component's xname (node, or BMC for manager resets).</summary>
    public required string Xname { get; init; }

    /// <summary>The BMC (RedfishEndpoint) xname; the credential store's key.</summary>
    public required string BmcXname { get; init; }

    /// <summary><c>https://host[:port]</c> of the BMC, no trailing slash.</summary>
    public required string BmcBaseUrl { get; init; }

    /// <summary>Redfish path of the component, e.g. <c>/redfish/v1/Systems/Node0</c>; its PowerState is read here.</summary>
    public required string SystemPath { get; init; }

    /// <summary>Redfish path to POST the reset to, e.g. <c>/redfish/v1/Systems/Node0/Actions/ComputerSystem.Reset</c>.</summary>
    public required string ResetTarget { get; init; }

    /// <summary>ResetType@Redfish.AllowableValues as discovered (may be empty).</summary>
    public IReadOnlyList<string> AllowedResetTypes { get; init; } = [];

    /// <summary>@Redfish.ActionInfo of the reset action, read when <see cref="AllowedResetTypes"/> is empty.</summary>
    public string? ActionInfo { get; init; }

    /// <summary>BMC credential, or null to send requests unauthenticated.</summary>
    public BmcCredential? Credential { get; init; }

    /// <summary>The BMC's certificate is accepted unverified: the choice stored on its RedfishEndpoint (discovery, Set-ChamiRedfishEndpoint).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>Redfish type of the resource: <c>ComputerSystem</c> or <c>Manager</c>.</summary>
    public string RedfishType { get; init; } = "ComputerSystem";

    public override string ToString() => $"{Xname} via {BmcBaseUrl}{SystemPath}";
}

/// <summary>Finds how to power-control a component. Throws a <see cref="Errors.ChamiException"/> when it can't.</summary>
public interface IPowerTargetResolver
{
    /// <summary>The power target of <paramref name="xname"/>; NotFound when the component has no power control.</summary>
    PowerTarget Resolve(string xname);

    /// <summary>Every xname this resolver can power-control (what <c>GET /power-status</c> lists without filters).</summary>
    IReadOnlyList<string> ListXnames();
}

/// <summary>A fixed set of targets (tests, scripts that bring their own BMC list).</summary>
public sealed class StaticPowerTargetResolver(IEnumerable<PowerTarget> targets) : IPowerTargetResolver
{
    private readonly Dictionary<string, PowerTarget> targets = targets.ToDictionary(t => t.Xname, StringComparer.OrdinalIgnoreCase);

    public PowerTarget Resolve(string xname)
    {
        var normalized = Xnames.Xname.Parse(xname);
        return targets.TryGetValue(normalized, out var target)
            ? target
            : throw Errors.ChamiException.NotFound("PowerTargetNotFound", $"{normalized} has no power control: no Redfish endpoint is known for it.", normalized);
    }

    public IReadOnlyList<string> ListXnames() => targets.Keys.Order(Xnames.XnameComparer.Instance).ToList();
}
