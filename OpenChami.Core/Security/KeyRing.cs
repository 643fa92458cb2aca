using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Security;

/// <summary>
/// Secret material kept in the store's <see cref="IChamiStore.KeyDirectory"/> (<c>&lt;db&gt;.keys/</c> beside a
/// LiteDB file; a per-database folder for PostgreSQL, shared by its servers like any cluster secret), created
/// on first use with mode 0600 (folder 0700). An in-memory store gets an in-memory key ring that lives as
/// long as the store. Keys never go into the database itself, so a copied file or a dump does not carry them.
/// </summary>
public sealed class KeyRing
{
    private static readonly ConditionalWeakTable<IChamiStore, KeyRing> InMemoryRings = new();
    private static readonly object Gate = new();
    private readonly Dictionary<string, byte[]> memory = [];

    private KeyRing(string? directory) => Directory = directory;

    /// <summary>Folder holding the key files, or null for an in-memory store.</summary>
    public string? Directory { get; }

    public static KeyRing For(IChamiStore store) =>
        store.KeyDirectory is { } directory ? new KeyRing(directory) : InMemoryRings.GetValue(store, _ => new KeyRing(null));

    /// <summary>Returns the named key, generating <paramref name="length"/> random bytes the first time.</summary>
    public byte[] GetOrCreateKey(string name, int length = 32) =>
        GetOrCreate(name, () => RandomNumberGenerator.GetBytes(length));

    /// <summary>Returns the named file's bytes, creating them with <paramref name="create"/> the first time.</summary>
    public byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        lock (Gate)
        {
            if (Directory is null)
            {
                if (!memory.TryGetValue(name, out var value)) memory[name] = value = create();
                return value;
            }
            var path = PathOf(name);
            if (File.Exists(path)) return File.ReadAllBytes(path);
            EnsureDirectory();
            var bytes = create();
            Write(path, bytes);
            return bytes;
        }
    }

    /// <summary>Replaces the named file (certificate renewal).</summary>
    public void Put(string name, byte[] bytes)
    {
        lock (Gate)
        {
            if (Directory is null)
            {
                memory[name] = bytes;
                return;
            }
            EnsureDirectory();
            Write(PathOf(name), bytes);
        }
    }

    public bool Exists(string name)
    {
        lock (Gate) return Directory is null ? memory.ContainsKey(name) : File.Exists(PathOf(name));
    }

    public string PathOf(string name) => Path.Combine(Directory ?? throw new InvalidOperationException("in-memory key ring"), name);

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory!)) return;
        System.IO.Directory.CreateDirectory(Directory!);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Directory!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void Write(string path, byte[] bytes)
    {
        // Create with 0600 before any secret byte is written, then move into place atomically.
        var temp = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options)) stream.Write(bytes);
        File.Move(temp, path, overwrite: true);
    }
}
