using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

/// <summary>
/// Change stamps per collection and per document, shared by every process that opens the database, so a process can tell
/// in a few nanoseconds whether what it read earlier is still what the file holds (see <see cref="ReadCache"/>).
/// A stamp packs two counters: the low 48 bits count committed changes, the high 16 bits count writers between
/// <see cref="Begin"/> (before their commit) and <see cref="End"/> (after it). A stamp is <em>settled</em> when
/// no writer is in flight; only settled stamps let a reader trust memory.
/// Document stamps are hashed into a fixed number of slots (two documents may share one: a collision only costs a
/// re-read); a change of unknown documents (DeleteMany) moves the collection's bulk stamp, which every document entry also checks.
/// For a file the stamps live in <c>&lt;db&gt;.stamps</c>, memory-mapped by every process; in memory, in this process.
/// A process that dies between Begin and End leaves its writer count behind: readers then go to the file for that
/// collection (slower, never stale) until the last process closes the database; the next one to open it alone resets the counts.
/// The header carries a generation (random, new with each new stamps file) and the highest commit number of the
/// database seen by a writer: a process tells with them that the file at the path is no longer the one it mapped
/// (<see cref="IsStillAtPath"/>: deleted, replaced) and that the database went back (<see cref="LiteDbStore"/>: a restore).
/// </summary>
internal sealed unsafe class ChangeStamps : IDisposable
{
    /// <summary>
    /// Collection (and bulk) stamps come first, then the document stamps: a region per collection, so the documents of a
    /// collection written per request (access log, instance-ids) never share a stamp with a node's boot parameters.
    /// </summary>
    public const int CollectionSlots = 512;
    public const int DocumentRegions = 64;
    public const int DocumentSlotsPerRegion = 8192;
    public const int SlotCount = CollectionSlots + DocumentRegions * DocumentSlotsPerRegion;
    private const long WriterUnit = 1L << 48;
    private const long ChangeMask = WriterUnit - 1;
    private const int HeaderBytes = 64;
    private const int LayoutOffset = 32;
    private const int GenerationOffset = 40;
    private const int CommitOffset = 56;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("OPENCHAMI-STAMPS-3");
    private static readonly long FileBytes = HeaderBytes + SlotCount * sizeof(long);

    private readonly byte* header;
    private readonly long* slots;
    private readonly IDisposable? owner;
    private readonly Action? release;
    private readonly string? path;
    private bool disposed;

    private ChangeStamps(byte* header, string? path, IDisposable? owner, Action? release)
    {
        this.header = header;
        slots = (long*)(header + HeaderBytes);
        this.path = path;
        this.owner = owner;
        this.release = release;
        Generation = new Guid(new ReadOnlySpan<byte>(header + GenerationOffset, 16));
    }

    /// <summary>Stamps for a store no other process can see.</summary>
    public static ChangeStamps InProcess()
    {
        var memory = (byte*)NativeMemory.AllocZeroed((nuint)FileBytes);
        Guid.NewGuid().TryWriteBytes(new Span<byte>(memory + GenerationOffset, 16));
        return new ChangeStamps(memory, null, null, () => NativeMemory.Free(memory));
    }

    /// <summary>Which stamps file this is: new with every new file (a deleted and recreated file has another).</summary>
    public Guid Generation { get; }

    /// <summary>The stamps file this maps, or null in process.</summary>
    public string? FilePath => path;

    /// <summary>The stamps beside a database file (created with the file's permissions on first use).</summary>
    public static ChangeStamps ForFile(string databasePath, long layout)
    {
        var path = databasePath + ".stamps";
        try
        {
            ResetIfAlone(path, databasePath, layout);
            // Every process holds a shared lock while it has the database open: ResetIfAlone can tell when it is alone.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                if (stream.Length < FileBytes || !HasMagic(stream))
                {
                    throw ChamiException.Unavailable("DatabaseStampsInvalid",
                        $"'{path}' is not an OpenChami stamps file; close every process using '{databasePath}' and open it again.", path);
                }
                if (LayoutIn(stream) != layout)
                {
                    throw ChamiException.Unavailable("DatabaseInUseByOtherVersion",
                        $"'{databasePath}' is open in a process running another OpenChami version (its collections differ); close it there first.", databasePath);
                }
                var map = MemoryMappedFile.CreateFromFile(stream, null, FileBytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
                var view = map.CreateViewAccessor(0, FileBytes, MemoryMappedFileAccess.ReadWrite);
                byte* pointer = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                return new ChangeStamps(pointer + view.PointerOffset, path, stream, () =>
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                    view.Dispose();
                    map.Dispose();
                });
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ChamiException.Unavailable("DatabaseOpenFailed", $"Cannot open '{path}' (change stamps of '{databasePath}'): {ex.Message}", path, ex);
        }
    }

    /// <summary>
    /// Alone (an exclusive lock succeeds): (re)write the header and clear writer counts a crashed process left.
    /// Change counts are kept, so they never repeat a value a cache could still hold.
    /// </summary>
    private static void ResetIfAlone(string path, string databasePath, long layout)
    {
        FileStream exclusive;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows() && !File.Exists(path))
            {
                options.UnixCreateMode = File.Exists(databasePath) ? File.GetUnixFileMode(databasePath) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            exclusive = new FileStream(path, options);
        }
        catch (IOException)
        {
            return; // another process has the database open: its stamps are live
        }
        using (exclusive)
        {
            var bytes = new byte[FileBytes];
            var valid = exclusive.Length == FileBytes && exclusive.Read(bytes) == bytes.Length && bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
                && BitConverter.ToInt64(bytes, LayoutOffset) == layout;
            if (!valid) Array.Clear(bytes);
            // A new file (or one written before generations) gets a generation of its own.
            if (new Guid(bytes.AsSpan(GenerationOffset, 16)) == Guid.Empty) Guid.NewGuid().TryWriteBytes(bytes.AsSpan(GenerationOffset, 16));
            Magic.CopyTo(bytes, 0);
            BitConverter.TryWriteBytes(bytes.AsSpan(LayoutOffset), layout);
            var stamps = MemoryMarshal.Cast<byte, long>(bytes.AsSpan(HeaderBytes));
            for (var i = 0; i < stamps.Length; i++) stamps[i] &= ChangeMask;
            exclusive.Position = 0;
            exclusive.Write(bytes);
            exclusive.SetLength(FileBytes);
            exclusive.Flush(flushToDisk: false);
        }
    }

    private static long LayoutIn(FileStream stream)
    {
        var bytes = new byte[sizeof(long)];
        stream.Position = LayoutOffset;
        return stream.Read(bytes) == bytes.Length ? BitConverter.ToInt64(bytes) : -1;
    }

    private static bool HasMagic(FileStream stream)
    {
        var header = new byte[Magic.Length];
        stream.Position = 0;
        return stream.Read(header) == header.Length && header.AsSpan().SequenceEqual(Magic);
    }

    /// <summary>The stamp of collection number <paramref name="ordinal"/> (its place in <see cref="StoreSchema.Collections"/>).</summary>
    public static int SlotOf(int ordinal) => 2 * ordinal;

    /// <summary>Moved by changes whose documents aren't known one by one.</summary>
    public static int BulkSlotOf(int ordinal) => 2 * ordinal + 1;

    /// <summary>The first document slot of a collection's region.</summary>
    public static int DocumentRegionOf(int ordinal) => CollectionSlots + ordinal * DocumentSlotsPerRegion;

    /// <summary>The slot of one document, in its collection's region (ids compare case-insensitively, as in LiteDB).</summary>
    public static int DocumentSlotOf(int ordinal, string id) =>
        DocumentRegionOf(ordinal) + (int)(Hash(id.ToLowerInvariant(), null) % DocumentSlotsPerRegion);

    /// <summary>
    /// Which collection owns which stamps, as a number written in the file: a process whose collections differ (another
    /// OpenChami version) must not share the stamps, or it would move the wrong ones.
    /// </summary>
    public static long LayoutOf(IEnumerable<string> collectionNames)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in $"{CollectionSlots}/{DocumentSlotsPerRegion}/" + string.Join('\n', collectionNames)) hash = (hash ^ c) * 1099511628211UL;
        return (long)(hash & long.MaxValue);
    }

    private static uint Hash(string first, string? second)
    {
        var hash = 2166136261u;
        foreach (var c in first) hash = (hash ^ c) * 16777619u;
        foreach (var c in second ?? string.Empty) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    public long Read(int slot) => Volatile.Read(ref slots[slot]);

    /// <summary>
    /// Whether the file at the path is still the one mapped here (same generation); false once it was deleted or
    /// replaced, when this process and the ones that open the path no longer see each other's stamps. A few
    /// system calls: callers check it on each write and now and then on reads, never per read.
    /// </summary>
    public bool IsStillAtPath()
    {
        if (path is null) return true;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[GenerationOffset + 16];
            return stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) == bytes.Length
                && bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
                && new Guid(bytes.AsSpan(GenerationOffset, 16)) == Generation;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The highest commit number of the database any writer on these stamps has seen (see <see cref="LiteDbStore"/>).</summary>
    public long HighestCommit => Volatile.Read(ref *(long*)(header + CommitOffset));

    /// <summary>Raises <see cref="HighestCommit"/> to <paramref name="commit"/> (never lowers it).</summary>
    public void SawCommit(long commit)
    {
        ref var highest = ref *(long*)(header + CommitOffset);
        var seen = Volatile.Read(ref highest);
        while (seen < commit)
        {
            var was = Interlocked.CompareExchange(ref highest, commit, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <summary>The document stamps of one region at once (kept with a collection snapshot).</summary>
    public long[] ReadRegion(int firstSlot)
    {
        var copy = new long[DocumentSlotsPerRegion];
        for (var i = 0; i < copy.Length; i++) copy[i] = Volatile.Read(ref slots[firstSlot + i]);
        return copy;
    }

    /// <summary>True when no writer is between <see cref="Begin"/> and <see cref="End"/> on the stamp's collection.</summary>
    public static bool IsSettled(long stamp) => (stamp & ~ChangeMask) == 0;

    /// <summary>Called inside the transaction, before its commit.</summary>
    public void Begin(int slot) => Interlocked.Add(ref slots[slot], WriterUnit);

    /// <summary>Called after the commit (or rollback): one writer fewer, one change more.</summary>
    public void End(int slot) => Interlocked.Add(ref slots[slot], 1 - WriterUnit);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        release?.Invoke();
        owner?.Dispose();
    }
}
