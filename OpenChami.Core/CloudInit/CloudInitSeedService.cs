using System.Security.Cryptography;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// Per-node signed seed URLs (spec/cloud-init.md §3.0): <c>&lt;base&gt;/cloud-init/n/&lt;token&gt;/</c>, where the token is
/// <c>&lt;xname&gt;.&lt;key id&gt;.&lt;HMAC-SHA256&gt;</c> (base64url) under a server key kept in the store and created on
/// first use. A token names exactly one node; it reveals only that node's xname; rotating the key
/// (<see cref="RotateKey"/>) invalidates every token issued before.
/// </summary>
public sealed class CloudInitSeedService(IChamiStore store)
{
    /// <summary>The path segment that carries the token: <c>/cloud-init/n/{token}/</c>.</summary>
    public const string RoutePrefix = "/cloud-init/n/";

    private const string Purpose = "openchami-cloud-init-seed-v1";

    /// <summary>
    /// The NoCloud seed URL for a node, ending in '/' (cloud-init 22.4 appends <c>meta-data</c> by plain
    /// concatenation). <paramref name="baseUrl"/> is the server URL as nodes reach it, e.g.
    /// <c>http://172.16.0.254:8081</c>; a trailing <c>/cloud-init</c> is accepted and not doubled.
    /// BSS puts the result into <c>ds=nocloud-net;s=&lt;seed&gt;</c>.
    /// </summary>
    public string SeedUrlFor(string xname, string baseUrl)
    {
        var root = (baseUrl ?? string.Empty).Trim().TrimEnd('/');
        if (!Uri.TryCreate(root, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw ChamiException.Invalid("InvalidBaseUrl", $"base URL '{baseUrl}' is not an absolute http(s) URL", baseUrl);
        }
        if (root.EndsWith("/cloud-init", StringComparison.Ordinal)) root = root[..^"/cloud-init".Length];
        return root + RoutePrefix + TokenFor(xname) + "/";
    }

    /// <summary>The token of a node (creates the server key on first use).</summary>
    public string TokenFor(string xname)
    {
        var id = Xname.Parse(xname);
        var key = store.Read(ReadKey) ?? store.Write(s => ReadKey(s) ?? CreateKey(s));
        return $"{id}.{key.KeyId}.{Sign(key, id)}";
    }

    /// <summary>Checks a token; the node it names, or null when it is malformed, tampered or signed by another key.</summary>
    public string? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256) return null;
        // Every cloud-init request of a node checks its token: remember good ones until the key changes.
        var node = store.Remember("seed-token\n" + token, () => VerifyUncached(token) ?? string.Empty, id => id.Length > 0);
        return node.Length > 0 ? node : null;
    }

    private string? VerifyUncached(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || !Xname.TryParse(parts[0], out var id, out _) || id != parts[0]) return null;
        var key = store.Read(ReadKey);
        if (key is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(key.KeyId))) return null;
        var expected = Encoding.ASCII.GetBytes(Sign(key, id));
        var given = Encoding.ASCII.GetBytes(parts[2]);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? id : null;
    }

    /// <summary>Replaces the server key: every seed URL issued before stops working. Returns the new key id.</summary>
    public string RotateKey() => store.Write(CreateKey).KeyId;

    /// <summary>The current key id, or null before the first token was issued (never the secret).</summary>
    public string? KeyId => store.Read(ReadKey)?.KeyId;

    /// <summary>A request path with any seed token replaced by <c>***</c> (tokens are credentials: keep them out of logs).</summary>
    public static string RedactPath(string? path)
    {
        if (path is null) return string.Empty;
        // "/cloud-init/n/<token>/..." or, behind a prefix-stripping proxy, "/n/<token>/...".
        // "/metadata-service/n/<token>/..." too (spec/metadata-service.md §3).
        var at = path.IndexOf(RoutePrefix, StringComparison.Ordinal);
        var start = at >= 0 ? at + RoutePrefix.Length : path.StartsWith("/n/", StringComparison.Ordinal) ? 3
            : path.StartsWith("/metadata-service/n/", StringComparison.Ordinal) ? "/metadata-service/n/".Length : -1;
        if (start < 0) return path;
        var end = path.IndexOf('/', start);
        return path[..start] + "***" + (end < 0 ? string.Empty : path[end..]);
    }

    private static CloudInitSeedKey? ReadKey(IStoreSession s) => s.Collection<CloudInitSeedKey>().Get(CloudInitSeedKey.CurrentId);

    private static CloudInitSeedKey CreateKey(IStoreSession s)
    {
        var key = new CloudInitSeedKey
        {
            KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Created = DateTime.UtcNow,
        };
        s.Collection<CloudInitSeedKey>().Upsert(key);
        return key;
    }

    private static string Sign(CloudInitSeedKey key, string xname)
    {
        var mac = HMACSHA256.HashData(Convert.FromBase64String(key.Secret), Encoding.UTF8.GetBytes($"{Purpose}\n{key.KeyId}\n{xname}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
