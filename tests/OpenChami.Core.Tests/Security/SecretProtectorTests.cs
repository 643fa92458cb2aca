using OpenChami.Core.Errors;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Security;

public sealed class SecretProtectorTests
{
    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void Secrets_round_trip_are_not_stored_in_clear_and_are_bound_to_their_record()
    {
        using var temp = new TempDirectory();
        using var store = LiteDbStore.OpenFile(temp.File("site.db"));
        var protector = new SecretProtector(store);
        var stored = protector.Protect("hunter2-BMC", "x1000c0s0b0");
        Assert.DoesNotContain("hunter2", stored);
        Assert.NotEqual(stored, protector.Protect("hunter2-BMC", "x1000c0s0b0")); // fresh nonce each time
        Assert.Equal("hunter2-BMC", new SecretProtector(store).Unprotect(stored, "x1000c0s0b0"));
        Assert.Equal("SecretUnreadable", Assert.Throws<ChamiException>(() => protector.Unprotect(stored, "x1000c0s1b0")).ErrorId);
        var tampered = stored[..^4] + (stored[^4] == 'A' ? "B" : "A") + stored[^3..];
        Assert.Equal("SecretUnreadable", Assert.Throws<ChamiException>(() => protector.Unprotect(tampered, "x1000c0s0b0")).ErrorId);
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void A_database_copied_without_its_keys_cannot_decrypt()
    {
        using var temp = new TempDirectory();
        string stored;
        using (var store = LiteDbStore.OpenFile(temp.File("site.db"))) stored = new SecretProtector(store).Protect("pw", "x1c0s0b0");
        using var other = LiteDbStore.OpenFile(temp.File("copy.db"));
        Assert.Equal("SecretUnreadable", Assert.Throws<ChamiException>(() => new SecretProtector(other).Unprotect(stored, "x1c0s0b0")).ErrorId);
    }
}

public sealed class CredentialStoreEncryptionTests
{
    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void Bmc_passwords_are_encrypted_in_the_database_file_and_never_journaled()
    {
        using var temp = new TempDirectory();
        var path = temp.File("site.db");
        using (var store = LiteDbStore.OpenFile(path))
        {
            var credentials = new OpenChami.Core.Discovery.StoreCredentialStore(store);
            store.Write(s => credentials.Set(s, "x1000c0s0b0", "root", "Sup3r-Secret-BMC"));
            Assert.Equal("Sup3r-Secret-BMC", credentials.Get("x1000c0s0b0")!.Secret);
            var raw = store.Read(s => s.Collection<OpenChami.Core.Model.EndpointCredential>().Get("x1000c0s0b0"))!;
            Assert.StartsWith("v1:", raw.Secret);
            Assert.Empty(new OpenChami.Core.Audit.AuditService(store).Query("x1000c0s0b0", collection: "credentials"));
        }
        // Nothing in the file itself, however it is read.
        Assert.DoesNotContain("Sup3r-Secret-BMC", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path)));
        Assert.DoesNotContain("Sup3r-Secret-BMC", System.Text.Encoding.Unicode.GetString(File.ReadAllBytes(path)));
    }
}
