using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Base of the lock and reservation cmdlets: components from the pipeline, asked about one by one (ShouldProcess),
/// changed in one unit of work at the end. Flexible by default (a component that can't be changed is its own error and
/// the rest go ahead); <c>-Rigid</c> is upstream's all-or-nothing.
/// </summary>
public abstract class LockCmdletBase : ChamiCmdletBase
{
    private readonly List<string> chosen = [];

    /// <summary>Components to act on (xnames; bind from the pipeline by value or by the Xname/ID property).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Xname { get; set; }

    /// <summary>All or nothing: the first component that can't be changed refuses the whole request.</summary>
    [Parameter]
    public SwitchParameter Rigid { get; set; }

    /// <summary>What ShouldProcess says is done to each component.</summary>
    protected abstract string Action { get; }

    protected LockProcessingModel Model => Rigid ? LockProcessingModel.Rigid : LockProcessingModel.Flexible;

    protected override void ProcessRecord()
    {
        foreach (var raw in Xname ?? [])
        {
            TryItem(() =>
            {
                var xname = Core.Xnames.Xname.Parse(raw);
                if (!chosen.Contains(xname, StringComparer.Ordinal) && ShouldProcess(xname, Action)) chosen.Add(xname);
            }, raw);
        }
    }

    protected override void EndProcessing()
    {
        if (chosen.Count == 0) return;
        var selection = new LockSelection();
        selection.ComponentIDs.AddRange(chosen);
        TryItem(() => Apply(selection), string.Join(",", chosen));
    }

    /// <summary>Makes the change for <paramref name="selection"/> and writes its results.</summary>
    protected abstract void Apply(LockSelection selection);

    /// <summary>Writes each failure as its component's error, then the lock state of the components changed.</summary>
    protected void WriteResult(IReadOnlyList<string> changed, IReadOnlyList<LockFailure> failures)
    {
        foreach (var failure in failures) WriteChamiError(LockReasons.ToException(failure), failure.ID);
        if (changed.Count == 0) return;
        var selection = new LockSelection();
        selection.ComponentIDs.AddRange(changed);
        WriteObject(Services.Locks.Status(selection).Components, enumerateCollection: true);
    }
}
