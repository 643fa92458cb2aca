using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Security;

/// <summary>Exports the built-in certificate authority's root certificate, for operators and node images to trust.</summary>
[Cmdlet(VerbsData.Export, "ChamiCertificate", DefaultParameterSetName = ObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(X509Certificate2), ParameterSetName = [ObjectSet])]
[OutputType(typeof(FileInfo), ParameterSetName = [PathSet])]
public sealed class ExportChamiCertificateCommand : ChamiCmdletBase
{
    private const string ObjectSet = "Object";
    private const string PathSet = "Path";

    /// <summary>Write the root certificate as PEM to this file (created or replaced).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var authority = Services.CertificateAuthority;
        if (ParameterSetName == ObjectSet)
        {
            WriteObject(authority.GetRootCertificate());
            return;
        }
        var target = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(target, "Export CA certificate")) return;
        File.WriteAllText(target, authority.ExportRootPem());
        WriteObject(new FileInfo(target));
    }
}
