using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Security;

public sealed class TlsTests
{
    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public async Task A_client_trusting_only_the_exported_ca_connects_and_one_that_does_not_is_refused()
    {
        using var temp = new TempDirectory();
        var store = LiteDbStore.OpenFile(temp.File("site.db"));
        var authority = new CertificateAuthority(store);
        var (names, addresses) = CertificateAuthority.LocalIdentity(IPAddress.Loopback);
        var certificate = authority.GetServerCertificate(names, addresses);
        await using var server = await TestServer.StartAsync(store, o => o.Certificate = certificate);
        Assert.StartsWith("https://127.0.0.1:", server.Server.Url);

        using var root = X509Certificate2.CreateFromPem(authority.ExportRootPem());
        using var trusting = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { root }, RevocationMode = X509RevocationMode.NoCheck },
            },
        });
        Assert.Equal(HttpStatusCode.OK, (await trusting.GetAsync(server.Server.Url + "/healthz")).StatusCode);

        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(server.Server.Url + "/healthz"));
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_root_is_created_once_and_the_server_certificate_is_reused_until_names_change()
    {
        using var temp = new TempDirectory();
        using var store = LiteDbStore.OpenFile(temp.File("site.db"));
        var authority = new CertificateAuthority(store);
        var rootPem = authority.ExportRootPem();
        var first = authority.GetServerCertificate(["localhost"], [IPAddress.Loopback]);
        var again = authority.GetServerCertificate(["localhost"], [IPAddress.Loopback]);
        Assert.Equal(first.Thumbprint, again.Thumbprint);
        var renamed = authority.GetServerCertificate(["localhost", "head01"], [IPAddress.Loopback]);
        Assert.NotEqual(first.Thumbprint, renamed.Thumbprint);
        Assert.Equal(rootPem, new CertificateAuthority(store).ExportRootPem());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, UnixMode(Path.Combine(temp.Path, "site.db.keys", "ca.key.pem")));
        using var root = X509Certificate2.CreateFromPem(rootPem);
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { root }, RevocationMode = X509RevocationMode.NoCheck } };
        Assert.True(chain.Build(renamed));
    }

    // The product runs on Linux; the file mode is what keeps the key private there.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode UnixMode(string path) => File.GetUnixFileMode(path);
}
