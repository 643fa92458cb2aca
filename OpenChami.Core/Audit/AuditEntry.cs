namespace OpenChami.Core.Audit;

/// <summary>One recorded change of one stored object: when, who, through what, and the values before and after.</summary>
public sealed class AuditEntry
{
    /// <summary>Sortable unique id (UTC ticks and a sequence number).</summary>
    public string Id { get; set; } = string.Empty;

    public DateTime Time { get; set; }

    /// <summary>OS user (cmdlets) or token subject / client address (HTTP).</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>The cmdlet or the HTTP method and route that made the change.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Stored collection (components, ethernet_interfaces, ...).</summary>
    public string Collection { get; set; } = string.Empty;

    /// <summary>Id of the changed object (xname, MAC id, group label...).</summary>
    public string Target { get; set; } = string.Empty;

    public AuditOperation Operation { get; set; }

    /// <summary>JSON of the object before the change; null when it was created.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the object after the change; null when it was deleted.</summary>
    public string? After { get; set; }

    public override string ToString() => $"{Time:O} {Actor} {Action} {Operation} {Collection}/{Target}";
}

public enum AuditOperation { Insert, Update, Delete }
