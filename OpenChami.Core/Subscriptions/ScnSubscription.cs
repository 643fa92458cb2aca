namespace OpenChami.Core.Subscriptions;

/// <summary>
/// A state-change notification subscription (spec/smd.md §2.10.3, upstream SCNSubscription): <see cref="Url"/> receives a
/// POST when a component's State or Flag changes to one of <see cref="States"/>, its Role or SubRole to one of
/// <see cref="Roles"/>/<see cref="SubRoles"/>, its SoftwareStatus to one of <see cref="SoftwareStatus"/>, or (with
/// <see cref="Enabled"/> true) its Enabled flag changes.
/// </summary>
public sealed class ScnSubscription
{
    /// <summary>A decimal number (upstream's int64), kept as text because it is the document's key.</summary>
    public string ID { get; set; } = string.Empty;

    /// <summary>Who subscribed, e.g. <c>cfs-agent@x1000c0s0b0n0</c>.</summary>
    public string Subscriber { get; set; } = string.Empty;

    public bool? Enabled { get; set; }

    public List<string>? Roles { get; set; }

    public List<string>? SubRoles { get; set; }

    public List<string>? SoftwareStatus { get; set; }

    public List<string>? States { get; set; }

    /// <summary>Where notifications are POSTed (http or https).</summary>
    public string Url { get; set; } = string.Empty;

    public ScnSubscription Clone() => new()
    {
        ID = ID, Subscriber = Subscriber, Enabled = Enabled, Url = Url,
        Roles = Roles?.ToList(), SubRoles = SubRoles?.ToList(), SoftwareStatus = SoftwareStatus?.ToList(), States = States?.ToList(),
    };

    public override string ToString() => $"{ID} {Subscriber} {Url}";
}

/// <summary>What a subscriber sends to create or replace a subscription (upstream SCNPostSubscription).</summary>
public sealed class ScnSubscriptionInput
{
    public string? Subscriber { get; set; }

    public bool? Enabled { get; set; }

    public List<string>? Roles { get; set; }

    public List<string>? SubRoles { get; set; }

    public List<string>? SoftwareStatus { get; set; }

    public List<string>? States { get; set; }

    public string? Url { get; set; }
}

/// <summary>A PATCH of a subscription (upstream SCNPatchSubscription): <c>Op</c> add, remove or replace the lists given.</summary>
public sealed class ScnSubscriptionPatch
{
    public string? Op { get; set; }

    public bool? Enabled { get; set; }

    public List<string>? Roles { get; set; }

    public List<string>? SubRoles { get; set; }

    public List<string>? SoftwareStatus { get; set; }

    public List<string>? States { get; set; }
}

/// <summary>The body POSTed to a subscriber (upstream SCNPayload): the components that changed the same way, and how.</summary>
public sealed class ScnPayload
{
    public List<string> Components { get; set; } = [];

    public bool? Enabled { get; set; }

    public string? Flag { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public string? SoftwareStatus { get; set; }

    public string? State { get; set; }
}
