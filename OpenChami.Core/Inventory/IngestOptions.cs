namespace OpenChami.Core.Inventory;

/// <summary>How an ingestion treats timestamps.</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// True (discovery, HTTP): every ingestion stamps <c>LastDiscoveryAttempt</c>. False (static import): the stamp
    /// only changes with the status, so re-importing an unchanged file changes nothing.
    /// </summary>
    public bool RefreshDiscoveryTimestamp { get; init; } = true;

    /// <summary>The clock (tests).</summary>
    public DateTime? Now { get; init; }
}
