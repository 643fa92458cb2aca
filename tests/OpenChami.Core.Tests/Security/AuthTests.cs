using System.Net;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenChami.Core.Inventory;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Security;

public sealed class AuthTests
{
    private static Task<TestServer> StartWithAuthAsync() => TestServer.StartAsync(configure: o => o.RequireAuth = true);

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task Protected_reads_need_a_valid_token_and_public_boot_reads_do_not()
    {
        await using var server = await StartWithAuthAsync();
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0" });
        var read = server.Services.Tokens.Issue("ops", ChamiScope.Read, TimeSpan.FromMinutes(5));

        var missing = await server.Client.SendAsync(Get("/hsm/v2/State/Components/x1c0s0b0n0", null));
        Assert.Equal("a bearer token is required", await TestServer.AssertProblemAsync(missing, 401));
        Assert.Contains("Bearer", missing.Headers.WwwAuthenticate.ToString());

        var valid = await server.Client.SendAsync(Get("/hsm/v2/State/Components/x1c0s0b0n0", read.Token));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);

        // coresmd, BSS and cloud-init read these while nodes boot: public by spec.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Get("/hsm/v2/State/Components", null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Get("/hsm/v2/service/ready", null))).StatusCode);
    }

    [Fact]
    public async Task Expired_tampered_foreign_and_underscoped_tokens_are_refused()
    {
        await using var server = await StartWithAuthAsync();
        const string path = "/hsm/v2/State/Components/x1c0s0b0n0";

        var expired = IssueRaw(KeyRing.For(server.Services.Store).GetOrCreateKey("jwt-signing.key", 64), "ops", "read", DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1));
        Assert.Equal("token expired", await TestServer.AssertProblemAsync(await server.Client.SendAsync(Get(path, expired)), 401));

        var foreign = IssueRaw(new byte[64], "ops", "admin", DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
        Assert.Equal("token signature is invalid", await TestServer.AssertProblemAsync(await server.Client.SendAsync(Get(path, foreign)), 401));

        var good = server.Services.Tokens.Issue("ops", ChamiScope.Read, TimeSpan.FromMinutes(5)).Token;
        var parts = good.Split('.');
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode("""{"sub":"ops","scope":"admin","iss":"openchami","aud":"openchami","exp":4102444800}""") + "." + parts[2];
        Assert.Equal(401, (int)(await server.Client.SendAsync(Get(path, tampered))).StatusCode);

        var wrongAudience = IssueRaw(KeyRing.For(server.Services.Store).GetOrCreateKey("jwt-signing.key", 64), "ops", "read", DateTime.UtcNow, DateTime.UtcNow.AddHours(1), audience: "someone-else");
        Assert.Equal("token audience is invalid", await TestServer.AssertProblemAsync(await server.Client.SendAsync(Get(path, wrongAudience)), 401));

        var readOnly = server.Services.Tokens.Issue("ops", ChamiScope.Read, TimeSpan.FromMinutes(5)).Token;
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/hsm/v2/State/Components/x1c0s0b0n0");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readOnly);
        Assert.Contains("needs 'write'", await TestServer.AssertProblemAsync(await server.Client.SendAsync(delete), 403));
    }

    [Fact]
    public async Task Loopback_without_RequireAuth_needs_no_token()
    {
        await using var server = await TestServer.StartAsync();
        Assert.False(server.Server.AuthEnabled);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/hsm/v2/State/Components/x1c0s0b0n0")).StatusCode);
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_signing_key_is_created_once_beside_the_database_with_mode_0600()
    {
        using var temp = new TempDirectory();
        using var store = LiteDbStore.OpenFile(temp.File("site.db"));
        var token = new TokenService(store).Issue("ops", ChamiScope.Write, TimeSpan.FromHours(1));
        var keyFile = Path.Combine(temp.Path, "site.db.keys", "jwt-signing.key");
        Assert.True(File.Exists(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, UnixMode(keyFile));
        // Another service instance on the same file validates it: the key is read back, not regenerated.
        var identity = await new TokenService(store).ValidateAsync(token.Token);
        Assert.Equal(new TokenIdentity("ops", ChamiScope.Write), identity);
    }

    private static string IssueRaw(byte[] key, string subject, string scope, DateTime notBefore, DateTime expires, string audience = TokenService.Audience) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = "openchami-1" }, SecurityAlgorithms.HmacSha256),
        });

    // The product runs on Linux; the file mode is what keeps the key private there.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode UnixMode(string path) => File.GetUnixFileMode(path);
}
