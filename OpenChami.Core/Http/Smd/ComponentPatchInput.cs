namespace OpenChami.Core.Http.Smd;

/// <summary>Body of every component PATCH route (bulk and per-component); each route reads its own fields.</summary>
public sealed class ComponentPatchInput
{
    public List<string>? ComponentIDs { get; set; }

    /// <summary>Optional on per-component routes; must equal the path xname.</summary>
    public string? ID { get; set; }

    public string? State { get; set; }

    public string? Flag { get; set; }

    public bool? Force { get; set; }

    public bool? Enabled { get; set; }

    public string? SoftwareStatus { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public long? NID { get; set; }
}
