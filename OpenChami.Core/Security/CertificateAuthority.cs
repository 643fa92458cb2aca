using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Security;

/// <summary>
/// A small built-in certificate authority, so TLS needs no certificates prepared by hand: a root key
/// and certificate created once beside the database (<see cref="KeyRing"/>), and a server certificate
/// for this host's names and addresses, reissued when it nears expiry or the names change.
/// Operators give node images the root (Export-ChamiCertificate) to trust.
/// </summary>
public sealed class CertificateAuthority(IChamiStore store)
{
    private const string RootKey = "ca.key.pem";
    private const string RootCert = "ca.crt.pem";
    private const string ServerKey = "server.key.pem";
    private const string ServerCert = "server.crt.pem";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private readonly KeyRing keys = KeyRing.For(store);

    /// <summary>The root certificate (public part only).</summary>
    public X509Certificate2 GetRootCertificate()
    {
        using var root = LoadOrCreateRoot();
        return X509CertificateLoader.LoadCertificate(root.Export(X509ContentType.Cert));
    }

    public string ExportRootPem()
    {
        using var root = LoadOrCreateRoot();
        return root.ExportCertificatePem();
    }

    /// <summary>A server certificate (with private key) valid for the given names and addresses.</summary>
    public X509Certificate2 GetServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var names = dnsNames.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.ToLowerInvariant()).Distinct().Order().ToList();
        var ips = addresses.Distinct().OrderBy(a => a.ToString()).ToList();
        if (keys.Exists(ServerCert) && keys.Exists(ServerKey))
        {
            var existing = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(keys.GetOrCreate(ServerCert, () => [])),
                Encoding.ASCII.GetString(keys.GetOrCreate(ServerKey, () => [])));
            if (existing.NotAfter.ToUniversalTime() - DateTime.UtcNow > RenewBefore && Covers(existing, names, ips) && IssuedByCurrentRoot(existing))
            {
                return Reload(existing);
            }
            existing.Dispose();
        }
        using var root = LoadOrCreateRoot();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names.FirstOrDefault() ?? "openchami"}, O=OpenChami", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names) san.AddDnsName(name);
        foreach (var ip in ips) san.AddIpAddress(ip);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(root, now.AddMinutes(-5), now.AddDays(365), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        keys.Put(ServerKey, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        keys.Put(ServerCert, Encoding.ASCII.GetBytes(withKey.ExportCertificatePem()));
        return Reload(withKey);
    }

    /// <summary>Names and addresses a client may use to reach this host.</summary>
    public static (IReadOnlyList<string> Names, IReadOnlyList<IPAddress> Addresses) LocalIdentity(IPAddress bindAddress)
    {
        var names = new List<string> { "localhost" };
        try
        {
            names.Add(Dns.GetHostName());
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No resolvable host name: localhost and the addresses still work.
        }
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (bindAddress.Equals(IPAddress.Any) || bindAddress.Equals(IPAddress.IPv6Any))
        {
            addresses.AddRange(System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
                .Where(a => !a.IsIPv6LinkLocal));
        }
        else
        {
            addresses.Add(bindAddress);
        }
        return (names, addresses);
    }

    // Kestrel on Linux wants a certificate whose key is not ephemeral.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private bool IssuedByCurrentRoot(X509Certificate2 certificate)
    {
        using var root = GetRootCertificate();
        return certificate.Issuer == root.Subject;
    }

    private static bool Covers(X509Certificate2 certificate, IReadOnlyList<string> names, IReadOnlyList<IPAddress> ips)
    {
        var ext = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (ext is null) return false;
        var dns = ext.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var addresses = ext.EnumerateIPAddresses().ToHashSet();
        return names.All(dns.Contains) && ips.All(addresses.Contains);
    }

    private X509Certificate2 LoadOrCreateRoot()
    {
        if (!keys.Exists(RootKey))
        {
            var (cert, key) = CreateRoot();
            keys.Put(RootKey, key);
            keys.Put(RootCert, cert);
        }
        return X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(keys.GetOrCreate(RootCert, () => [])),
            Encoding.ASCII.GetString(keys.GetOrCreate(RootKey, () => [])));
    }

    private static (byte[] Cert, byte[] Key) CreateRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"CN=OpenChami Root CA {Guid.NewGuid():N}, O=OpenChami", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var root = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return (Encoding.ASCII.GetBytes(root.ExportCertificatePem()), Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
    }
}
