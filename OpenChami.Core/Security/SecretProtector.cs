using System.Security.Cryptography;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Security;

/// <summary>
/// Encrypts secrets (BMC passwords) before they are stored: AES-256-GCM with a key kept beside the
/// database (<see cref="KeyRing"/>, <c>secrets.key</c>), so the database file alone reveals nothing.
/// The stored form is <c>v1:&lt;nonce&gt;:&lt;ciphertext&gt;:&lt;tag&gt;</c> (base64); the record's id is bound as
/// associated data, so a ciphertext moved to another record does not decrypt.
/// </summary>
public sealed class SecretProtector(IChamiStore store)
{
    private const string Prefix = "v1:";

    private byte[] Key => KeyRing.For(store).GetOrCreateKey("secrets.key", 32);

    public string Protect(string plaintext, string boundTo)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[data.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(Key, tag.Length);
        aes.Encrypt(nonce, data, cipher, tag, Encoding.UTF8.GetBytes(boundTo));
        return Prefix + string.Join(':', Convert.ToBase64String(nonce), Convert.ToBase64String(cipher), Convert.ToBase64String(tag));
    }

    public string Unprotect(string stored, string boundTo)
    {
        var parts = stored.StartsWith(Prefix, StringComparison.Ordinal) ? stored[Prefix.Length..].Split(':') : [];
        if (parts.Length != 3) throw ChamiException.Unavailable("SecretUnreadable", $"the stored secret of '{boundTo}' is not in a known format", boundTo);
        try
        {
            var nonce = Convert.FromBase64String(parts[0]);
            var cipher = Convert.FromBase64String(parts[1]);
            var tag = Convert.FromBase64String(parts[2]);
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(Key, tag.Length);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(boundTo));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw ChamiException.Unavailable("SecretUnreadable",
                $"the stored secret of '{boundTo}' cannot be decrypted (was the database copied without its .keys folder?)", boundTo, ex);
        }
    }
}
