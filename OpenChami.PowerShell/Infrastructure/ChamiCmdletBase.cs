using System.Management.Automation;
using OpenChami.Core;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Base of every OpenChami cmdlet: access to the session's services and the error helpers.
/// Cmdlets stay thin: resolve parameters, call one Core service method, write the result.
/// </summary>
public abstract class ChamiCmdletBase : PSCmdlet
{
    private readonly CancellationTokenSource stopping = new();

    /// <summary>The services of the current database (opens the default database on first use).</summary>
    protected ChamiServices Services
    {
        get
        {
            try
            {
                // Every write below is journaled as this OS user running this cmdlet.
                ChamiActor.Use(Environment.UserName, MyInvocation.MyCommand.Name);
                return ChamiSession.Current;
            }
            catch (ChamiException ex)
            {
                ThrowTerminatingError(ChamiErrorMapping.ToErrorRecord(ex));
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }
    }

    /// <summary>Cancelled on Ctrl+C; pass it to long-running Core calls.</summary>
    protected CancellationToken StopToken => stopping.Token;

    protected override void StopProcessing()
    {
        stopping.Cancel();
        base.StopProcessing();
    }

    /// <summary>Writes a non-terminating error for one item; the pipeline carries on.</summary>
    protected void WriteChamiError(ChamiException exception, object? target = null) =>
        WriteError(ChamiErrorMapping.ToErrorRecord(exception, target));

    protected void ThrowChamiError(ChamiException exception, object? target = null) =>
        ThrowTerminatingError(ChamiErrorMapping.ToErrorRecord(exception, target));

    /// <summary>
    /// Asking for one exact name that isn't there is an error; a wildcard pattern that matches nothing is not.
    /// Writes <paramref name="notFound"/> for each exact name in <paramref name="requested"/> that <paramref name="isFound"/> rejects.
    /// </summary>
    protected void WriteNotFoundForExactNames(IEnumerable<string>? requested, Func<string, bool> isFound, Func<string, ChamiException> notFound) =>
        WriteNotFound((requested ?? []).Where(name => !Wildcard.HasWildcard(name)), isFound, notFound);

    /// <summary>Writes <paramref name="notFound"/> for each of <paramref name="requested"/> that <paramref name="isFound"/> rejects.</summary>
    protected void WriteNotFound<T>(IEnumerable<T> requested, Func<T, bool> isFound, Func<T, ChamiException> notFound)
    {
        foreach (var item in requested)
        {
            if (!isFound(item)) WriteChamiError(notFound(item));
        }
    }

    /// <summary>Runs one item's work; a Core failure becomes a non-terminating error for that item only.</summary>
    protected bool TryItem(Action work, object? target = null)
    {
        try
        {
            work();
            return true;
        }
        catch (ChamiException ex)
        {
            WriteChamiError(ex, target);
            return false;
        }
    }
}
