using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenChami.RedfishFixture;

/// <summary>
/// The self-signed certificate HTTPS simulators present. Generated once per process and shared:
/// real BMCs ship self-signed certificates too, and one key for 256 BMCs keeps start-up fast. ECDSA P-256
/// because generating an RSA key costs ~0.4 s on this class of machine; every TLS client in play accepts it.
/// </summary>
internal static class SelfSignedCertificate
{
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(Create);

    public static X509Certificate2 Shared => SharedCertificate.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=OpenChami Redfish fixture", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        // Round-trip through PKCS#12: on Windows SslStream can't use an ephemeral key directly.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
