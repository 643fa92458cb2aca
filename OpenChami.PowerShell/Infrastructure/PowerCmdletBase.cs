using System.Management.Automation;
using OpenChami.Core;
using OpenChami.Core.Power;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Shared by the power cmdlets: xnames from the pipeline, BMC credential, TLS choice and the engine's settings.
/// Targets are resolved and checked per item in ProcessRecord (so a bad xname or an unsupported action is an
/// error for that item, before anything is sent); the BMC work runs once, in EndProcessing, fanned out.
/// </summary>
public abstract class PowerCmdletBase : ChamiCmdletBase
{
    /// <summary>BMC credential for this call; replaces the stored one (which is left unchanged).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accept the BMC's certificate without verifying it (BMCs usually have self-signed ones).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Components worked on at once.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    protected BmcCredential? CallCredential =>
        Credential is null || ReferenceEquals(Credential, PSCredential.Empty)
            ? null
            : new BmcCredential(Credential.UserName, Credential.GetNetworkCredential().Password);

    /// <summary>The engine settings for this call (TLS choice applied).</summary>
    protected PowerEngineOptions EngineOptions(ChamiServices services)
    {
        var options = services.Power.Options.Clone();
        if (SkipCertificateCheck) options.SkipCertificateCheck = true;
        return options;
    }
}
