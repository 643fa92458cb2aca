using System.Management.Automation;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Base of the Remove-* cmdlets that delete items one by one: -PassThru and the ask, remove, report step.</summary>
public abstract class RemoveCmdletBase : ChamiCmdletBase
{
    /// <summary>Write what was removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Removes the item <paramref name="name"/>: asks (ShouldProcess) about the name itself, then runs <paramref name="remove"/>.</summary>
    protected void RemoveItem(string name, string action, Func<object> remove) => RemoveItem(name, action, () => name, remove);

    /// <summary>
    /// Removes the item <paramref name="name"/>: asks (ShouldProcess) about what <paramref name="describe"/> says of it, then
    /// runs <paramref name="remove"/>, which returns what was removed (written with -PassThru). A Core failure is this
    /// item's error; the pipeline carries on. A <paramref name="describe"/> that reads the item makes a missing one an
    /// error under -WhatIf too, as in the real run.
    /// </summary>
    protected void RemoveItem(string name, string action, Func<string> describe, Func<object> remove) =>
        TryItem(() =>
        {
            if (!ShouldProcess(describe(), action)) return;
            var removed = remove();
            if (PassThru) WriteObject(removed);
        }, name);
}
