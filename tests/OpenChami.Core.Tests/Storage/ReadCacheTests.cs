using LiteDB;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

/// <summary>
/// The read cache must never serve a stale answer. Two stores opened on one file behave like two processes:
/// each maps the file's change stamps itself and has its own memory.
/// </summary>
[Trait("Backend", "LiteDbOnly")]
public sealed class ReadCacheTests
{
    private const string Node = "x1000c0s0b0n0";

    private static Component NodeWithRole(string id, string role, long nid = 1) =>
        new() { ID = id, Type = HmsType.Node, State = HmsState.On, Flag = HmsFlag.OK, Enabled = true, Role = role, NID = nid };

    private static string? RoleOf(IChamiStore store, string id) => store.Read(s => s.Collection<Component>().Get(id))?.Role;

    private static void SetRole(IChamiStore store, string id, string role) =>
        store.Write(s => s.Collection<Component>().Upsert(NodeWithRole(id, role)));

    [Fact]
    public void A_change_written_by_one_process_is_read_by_the_other_at_once()
    {
        using var temp = new TempDirectory();
        var path = temp.File("shared.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        Assert.True(reader.CachesReads);

        SetRole(writer, Node, "Compute");
        Assert.Equal("Compute", RoleOf(reader, Node));
        Assert.Equal("Compute", RoleOf(reader, Node)); // now from memory
        Assert.Null(RoleOf(reader, "x1000c0s0b0n1"));  // an absence is remembered too...

        SetRole(writer, Node, "Service");
        SetRole(writer, "x1000c0s0b0n1", "Compute");
        Assert.Equal("Service", RoleOf(reader, Node));
        Assert.Equal("Compute", RoleOf(reader, "x1000c0s0b0n1")); // ...until it is no longer true

        writer.Write(s => s.Collection<Component>().Delete(Node));
        Assert.Null(RoleOf(reader, Node));
    }

    [Fact]
    public void A_document_read_stays_in_memory_while_other_documents_change_but_not_after_a_bulk_delete()
    {
        using var temp = new TempDirectory();
        var path = temp.File("documents.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        SetRole(writer, Node, "Compute");
        var computed = 0;
        string Remembered() => reader.Remember("doc", () => { computed++; return RoleOf(reader, Node)!; });
        Assert.Equal("Compute", Remembered());

        // Instances are written one by one while thousands of nodes boot: each node's answer must survive the others'.
        SetRole(writer, "x1000c0s5b0n0", "Compute");
        Assert.Equal("Compute", Remembered());
        Assert.Equal(1, computed);

        writer.Write(s => s.Collection<Component>().DeleteMany(c => c.Role == "Compute"));
        Assert.Null(RoleOf(reader, Node));
        Assert.Equal(0, reader.Read(s => s.Collection<Component>().Count()));
    }

    [Fact]
    public void A_collection_held_whole_follows_changes_made_elsewhere()
    {
        using var temp = new TempDirectory();
        var path = temp.File("snapshot.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        var ids = Enumerable.Range(0, 100).Select(i => $"x1000c0s{i}b0n0").ToList();
        writer.Write(s => s.Collection<Component>().InsertMany(ids.Select(id => NodeWithRole(id, "Compute"))));

        // Enough distinct misses that the reader takes the whole collection into memory.
        foreach (var id in ids) Assert.Equal("Compute", RoleOf(reader, id));
        Assert.Equal(100, reader.Read(s => s.Collection<Component>().Count()));

        SetRole(writer, ids[7], "Storage");
        writer.Write(s => s.Collection<Component>().Insert(NodeWithRole("x1000c1s0b0n0", "Compute")));
        writer.Write(s => s.Collection<Component>().Delete(ids[8]));

        Assert.Equal("Storage", RoleOf(reader, ids[7]));
        Assert.Equal("Compute", RoleOf(reader, "x1000c1s0b0n0"));
        Assert.Null(RoleOf(reader, ids[8]));
        Assert.Equal(100, reader.Read(s => s.Collection<Component>().All()).Count);
        Assert.Equal(100, reader.Read(s => s.Collection<Component>().Count()));
    }

    [Fact]
    public void Equality_queries_answered_from_a_whole_collection_match_the_database()
    {
        using var temp = new TempDirectory();
        var path = temp.File("equality.db");
        using var cached = LiteDbStore.OpenFile(path);
        using var database = LiteDbStore.OpenFile(path, cacheReads: false);
        database.Write(s =>
        {
            var components = s.Collection<Component>();
            var nics = s.Collection<EthernetInterface>();
            for (var i = 0; i < 60; i++)
            {
                var id = $"x1000c0s{i}b0n0";
                components.Insert(new Component { ID = id, Type = i % 3 == 0 ? HmsType.NodeBMC : HmsType.Node, Role = i % 2 == 0 ? "Compute" : null, NID = i % 5 == 0 ? null : i, Enabled = i % 4 == 0, State = HmsState.On, Flag = HmsFlag.OK });
                nics.Insert(new EthernetInterface { ID = $"5254000000{i:x2}", MACAddress = $"52:54:00:00:00:{i:x2}", ComponentID = i == 7 ? "X1000C0S7B0N0" : id });
            }
        });
        // Misses enough for both collections to be held whole.
        for (var i = 0; i < 40; i++)
        {
            cached.Read(s => s.Collection<Component>().Get($"x1000c0s{i}b0n0"));
            cached.Read(s => s.Collection<EthernetInterface>().Get($"5254000000{i:x2}"));
        }

        void Same<T>(System.Linq.Expressions.Expression<Func<T, bool>> predicate, Func<T, string> id) where T : class
        {
            var fromCache = cached.Read(s => s.Collection<T>().Find(predicate)).Select(id).Order().ToList();
            var fromFile = database.Read(s => s.Collection<T>().Find(predicate)).Select(id).Order().ToList();
            Assert.Equal(fromFile, fromCache);
            Assert.Equal(fromFile.FirstOrDefault() is null, cached.Read(s => s.Collection<T>().FindOne(predicate)) is null);
        }
        var owner = "x1000c0s7b0n0"; // stored upper-case: LiteDB matches it anyway
        Same<EthernetInterface>(e => e.ComponentID == owner, e => e.ID);
        Same<EthernetInterface>(e => e.ComponentID == "x1000c0s3b0n0", e => e.ID);
        Same<EthernetInterface>(e => e.ComponentID == "nobody", e => e.ID);
        long nid = 12;
        Same<Component>(c => c.NID == nid, c => c.ID);
        Same<Component>(c => c.NID == null, c => c.ID);
        Same<Component>(c => c.Type == HmsType.NodeBMC, c => c.ID);
        Same<Component>(c => c.Role == "compute", c => c.ID);
        Same<Component>(c => c.Enabled == true, c => c.ID);
        Same<Component>(c => c.ID == "X1000C0S4B0N0", c => c.ID);

        database.Write(s => s.Collection<EthernetInterface>().Upsert(new EthernetInterface { ID = "525400000003", MACAddress = "52:54:00:00:00:03", ComponentID = owner }));
        Same<EthernetInterface>(e => e.ComponentID == owner, e => e.ID);
    }

    [Fact]
    public void A_collection_held_whole_keeps_answering_for_documents_nobody_changed()
    {
        using var temp = new TempDirectory();
        var path = temp.File("partial.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        var ids = Enumerable.Range(0, 64).Select(i => $"x1000c0s{i}b0n0").ToList();
        writer.Write(s => s.Collection<Component>().InsertMany(ids.Select(id => NodeWithRole(id, "Compute"))));
        foreach (var id in ids) RoleOf(reader, id); // held whole from here on

        var computed = 0;
        string Remembered(string id) => reader.Remember("role:" + id, () => { computed++; return RoleOf(reader, id)!; });
        Assert.Equal("Compute", Remembered(ids[1]));

        // Another document changes: the snapshot still answers for ids[1] (and what was remembered from it stays)...
        SetRole(writer, ids[2], "Service");
        Assert.Equal("Compute", Remembered(ids[1]));
        Assert.Equal(1, computed);
        Assert.Equal("Service", RoleOf(reader, ids[2]));
        // ...while whole-collection answers follow the change.
        Assert.Single(reader.Read(s => s.Collection<Component>().All()), c => c.Role == "Service");

        // A document created after the snapshot, and one removed by a bulk delete.
        writer.Write(s => s.Collection<Component>().Insert(NodeWithRole("x1000c1s0b0n0", "Storage")));
        Assert.Equal("Storage", RoleOf(reader, "x1000c1s0b0n0"));
        writer.Write(s => s.Collection<Component>().DeleteMany(c => c.Role == "Compute"));
        Assert.Null(RoleOf(reader, ids[1]));
        Assert.Null(Remembered(ids[1]) == "Compute" ? "stale" : null);
    }

    [Fact]
    public void Query_results_are_keyed_by_the_captured_values_and_follow_changes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("query.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        writer.Write(s =>
        {
            var components = s.Collection<Component>();
            components.Insert(NodeWithRole("x1000c0s0b0n0", "Compute", 1));
            components.Insert(NodeWithRole("x1000c0s1b0n0", "Compute", 2));
        });
        string? ByNid(long nid) => reader.Read(s => s.Collection<Component>().FindOne(c => c.NID == nid))?.ID;

        Assert.Equal("x1000c0s0b0n0", ByNid(1));
        Assert.Equal("x1000c0s1b0n0", ByNid(2));
        Assert.Equal("x1000c0s0b0n0", ByNid(1));

        writer.Write(s => s.Collection<Component>().Upsert(NodeWithRole("x1000c0s0b0n0", "Compute", 3)));
        Assert.Null(ByNid(1));
        Assert.Equal("x1000c0s0b0n0", ByNid(3));
    }

    [Fact]
    public void A_remembered_result_is_recomputed_only_when_something_it_read_changes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("memo.db");
        using var writer = LiteDbStore.OpenFile(path);
        using var reader = LiteDbStore.OpenFile(path);
        SetRole(writer, Node, "Compute");
        var computed = 0;
        string Script() => reader.Remember("script:" + Node, () =>
        {
            computed++;
            return "role=" + RoleOf(reader, Node);
        });

        Assert.Equal("role=Compute", Script());
        Assert.Equal("role=Compute", Script());
        Assert.Equal(1, computed);

        // A collection the computation never read: still remembered.
        writer.Write(s => s.Collection<NodeMap>().Upsert(new NodeMap { ID = Node, NID = 5 }));
        Assert.Equal("role=Compute", Script());
        Assert.Equal(1, computed);

        SetRole(writer, Node, "Service");
        Assert.Equal("role=Service", Script());
        Assert.Equal(2, computed);
    }

    [Fact]
    public void A_remembered_result_that_uses_another_one_follows_the_inner_ones_dependencies()
    {
        using var store = LiteDbStore.OpenInMemory();
        SetRole(store, Node, "Compute");
        store.Write(s => s.Collection<NodeMap>().Upsert(new NodeMap { ID = Node, NID = 5 }));
        var outerRuns = 0;
        string Inner() => store.Remember("inner", () => RoleOf(store, Node)!);
        string Outer() => store.Remember("outer", () =>
        {
            outerRuns++;
            return Inner() + "/" + store.Read(s => s.Collection<NodeMap>().Get(Node))!.NID;
        });

        Assert.Equal("Compute/5", Outer());
        Assert.Equal("Compute", Inner()); // remembered while the outer computation ran
        Assert.Equal("Compute/5", Outer());
        Assert.Equal(1, outerRuns);

        SetRole(store, Node, "Service"); // only the inner computation read it
        Assert.Equal("Service/5", Outer());
        Assert.Equal(2, outerRuns);
    }

    [Fact]
    public void A_result_refused_by_keep_or_computed_around_a_write_is_not_remembered()
    {
        using var store = LiteDbStore.OpenInMemory();
        var computed = 0;
        store.Remember("refused", () => { computed++; return "x"; }, _ => false);
        store.Remember("refused", () => { computed++; return "x"; }, _ => false);
        Assert.Equal(2, computed);

        string WritesThenReads() => store.Remember("writes", () =>
        {
            computed++;
            SetRole(store, Node, "Compute");
            return RoleOf(store, Node)!;
        });
        WritesThenReads();
        WritesThenReads();
        Assert.Equal(4, computed);
    }

    [Fact]
    public void Memory_is_not_trusted_while_a_writer_is_between_its_commit_and_its_stamp()
    {
        using var temp = new TempDirectory();
        var path = temp.File("inflight.db");
        using var store = LiteDbStore.OpenFile(path);
        SetRole(store, Node, "Compute");
        Assert.Equal("Compute", RoleOf(store, Node));
        Assert.Equal("Compute", RoleOf(store, Node));

        // A writer that bypasses the stamps (what an OpenChami without them would do): memory can't know...
        using (var raw = new LiteDatabase($"Filename={path};Connection=shared", StoreSchema.CreateMapper()))
        {
            raw.GetCollection<Component>("components").Upsert(NodeWithRole(Node, "Service"));
        }
        Assert.Equal("Compute", RoleOf(store, Node));
        // ...which is why the file's schema version keeps such a writer out (see StoreSchema), and why a writer
        // in flight (Begin without End yet, as in another process) sends every reader to the file.
        using var stamps = ChangeStamps.ForFile(path, StoreSchema.StampLayout);
        var components = StoreSchema.Get(typeof(Component));
        int[] slots = [components.StampSlot, components.DocumentStampSlot(Node)];
        foreach (var slot in slots) stamps.Begin(slot);
        Assert.Equal("Service", RoleOf(store, Node));
        foreach (var slot in slots) stamps.End(slot);
        Assert.Equal("Service", RoleOf(store, Node));
    }

    [Fact]
    public void Writer_counts_left_by_a_crashed_process_are_cleared_by_the_next_process_to_open_the_file_alone()
    {
        using var temp = new TempDirectory();
        var path = temp.File("crash.db");
        var slot = StoreSchema.Get(typeof(Component)).StampSlot;
        long changes;
        using (var crashed = ChangeStamps.ForFile(path, StoreSchema.StampLayout))
        {
            crashed.Begin(slot);
            crashed.End(slot);
            crashed.Begin(slot); // dies here
            Assert.False(ChangeStamps.IsSettled(crashed.Read(slot)));
            changes = crashed.Read(slot) & ((1L << 48) - 1);

            using var stillOpen = ChangeStamps.ForFile(path, StoreSchema.StampLayout); // someone else has it open: no reset
            Assert.False(ChangeStamps.IsSettled(stillOpen.Read(slot)));
        }
        using var next = ChangeStamps.ForFile(path, StoreSchema.StampLayout);
        Assert.True(ChangeStamps.IsSettled(next.Read(slot)));
        Assert.Equal(changes, next.Read(slot)); // the change count never goes back
    }

    [Fact]
    public void What_a_caller_does_to_a_returned_document_does_not_reach_the_next_caller()
    {
        using var store = LiteDbStore.OpenInMemory();
        SetRole(store, Node, "Compute");
        var first = store.Read(s => s.Collection<Component>().Get(Node))!;
        first.Role = "Mangled";
        var again = store.Read(s => s.Collection<Component>().Get(Node))!;
        again.Role = "Mangled too";
        Assert.Equal("Compute", RoleOf(store, Node));
    }

    [Fact]
    public void A_write_nested_in_a_read_is_rolled_back_and_leaves_nothing_in_memory()
    {
        using var store = LiteDbStore.OpenInMemory();
        SetRole(store, Node, "Compute");
        var seenInside = store.Read(s =>
        {
            store.Write(w => w.Collection<Component>().Upsert(NodeWithRole(Node, "Phantom")));
            return s.Collection<Component>().Get(Node)!.Role;
        });
        Assert.Equal("Phantom", seenInside);
        Assert.Equal("Compute", RoleOf(store, Node));
        Assert.Equal("Compute", RoleOf(store, Node));
    }

    [Fact]
    public void Reads_see_the_writes_of_their_own_transaction()
    {
        using var store = LiteDbStore.OpenInMemory();
        SetRole(store, Node, "Compute");
        Assert.Equal("Compute", RoleOf(store, Node));
        var inside = store.Write(s =>
        {
            s.Collection<Component>().Upsert(NodeWithRole(Node, "Service"));
            return RoleOf(store, Node);
        });
        Assert.Equal("Service", inside);
        Assert.Equal("Service", RoleOf(store, Node));
    }

    [Fact]
    public void A_store_without_the_cache_answers_the_same()
    {
        using var temp = new TempDirectory();
        var path = temp.File("nocache.db");
        using var cached = LiteDbStore.OpenFile(path);
        using var uncached = LiteDbStore.OpenFile(path, cacheReads: false);
        Assert.False(uncached.CachesReads);
        SetRole(uncached, Node, "Compute");
        Assert.Equal("Compute", RoleOf(cached, Node));
        SetRole(uncached, Node, "Service"); // its writes still move the stamps
        Assert.Equal("Service", RoleOf(cached, Node));
        Assert.Equal("Service", RoleOf(uncached, Node));
    }

    [Fact]
    public void Every_collection_has_its_own_stamps()
    {
        // Sharing is only slower, never wrong; but a collection written per request (instance-ids, the access log)
        // sharing stamps with boot parameters would send a storm's remembered scripts back to the file.
        Assert.Equal(StoreSchema.Collections.Count, StoreSchema.Collections.Select(c => c.StampSlot).Distinct().Count());
        Assert.Equal(StoreSchema.Collections.Count, StoreSchema.Collections.Select(c => c.DocumentStampRegion).Distinct().Count());
        Assert.DoesNotContain(StoreSchema.Collections, c => StoreSchema.Collections.Any(o => o.StampSlot == c.BulkStampSlot));
    }

    /// <summary>
    /// In memory LiteDB's transactions overlap: a read keeps the snapshot of a collection it took at its first look,
    /// while another thread commits. What it reads from that snapshot afterwards must not be remembered under the
    /// stamps of after the commit (it was: the old document, or the whole old collection, outlived the write).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_read_overlapping_a_commit_does_not_remember_what_its_older_snapshot_holds(bool wholeCollection)
    {
        using var store = LiteDbStore.OpenInMemory();
        var ids = Enumerable.Range(0, 2 * ReadCache.SnapshotAfterMisses).Select(i => $"x1000c0s{i}b0n0").ToList();
        store.Write(s => s.Collection<Component>().InsertMany(ids.Select(id => NodeWithRole(id, "Compute"))));

        var during = store.Read(s =>
        {
            var components = s.Collection<Component>();
            components.Get(ids[0]); // the collection's snapshot is taken here
            // Another thread (a write on this one would be nested in the read) commits, and is acknowledged.
            Assert.True(Task.Run(() => SetRole(store, ids[1], "Storage")).Wait(TimeSpan.FromMinutes(1)));
            if (wholeCollection)
            {
                // Enough misses in this unit of work that it reads the collection whole: from the old snapshot.
                foreach (var id in ids.Skip(2)) components.Get(id);
            }
            return components.Get(ids[1])!.Role;
        });
        Assert.Equal("Compute", during); // one snapshot for the whole unit of work

        Assert.Equal("Storage", RoleOf(store, ids[1]));
        Assert.Equal("Storage", store.Read(s => s.Collection<Component>().Find(c => c.Role == "Storage")).Single().Role);
    }

    /// <summary>A clock that moves only when told (<see cref="LiteDbStore.IdentityCheckInterval"/>).</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref now, by.Ticks);
    }

    [Fact]
    public void Processes_that_mapped_a_deleted_stamps_file_move_to_the_new_one_and_say_so()
    {
        using var temp = new TempDirectory();
        var path = temp.File("deleted.db");
        var (readerTime, writerTime) = (new ManualTime(), new ManualTime());
        using var reader = LiteDbStore.OpenFile(path, timeProvider: readerTime);
        using var writer = LiteDbStore.OpenFile(path, timeProvider: writerTime);
        var warnings = new List<string>();
        reader.Warning += warnings.Add;
        SetRole(writer, Node, "Compute");
        string Remembered() => reader.Remember("role", () => RoleOf(reader, Node)!);
        Assert.Equal("Compute", Remembered());
        Assert.Equal("Compute", RoleOf(reader, Node)); // from memory

        // An operator removes the stamps; a server started now creates new ones the other two don't see yet.
        File.Delete(path + ".stamps");
        using var started = LiteDbStore.OpenFile(path);
        Assert.Equal("Compute", RoleOf(started, Node));
        SetRole(started, Node, "Service");

        // At its next check the reader maps the new file: the change made through the new process shows.
        readerTime.Advance(LiteDbStore.IdentityCheckInterval);
        Assert.Equal("Service", Remembered()); // a remembered answer, which never reads the store, is checked too
        Assert.Equal("Service", RoleOf(reader, Node));
        Assert.Contains(warnings, w => w.Contains("no longer the stamps file", StringComparison.Ordinal));
        Assert.Equal("Service", RoleOf(reader, Node)); // and caches again, under the new stamps

        // A writer checks on every write, before its clock says so: the new process sees its change at once.
        Assert.Equal("Service", RoleOf(started, Node)); // from memory
        SetRole(writer, Node, "Storage");
        Assert.Equal("Storage", RoleOf(started, Node));
        Assert.Equal("Storage", RoleOf(reader, Node));
    }

    [Fact]
    public void A_database_restored_under_running_processes_is_not_answered_from_memory()
    {
        using var temp = new TempDirectory();
        var path = temp.File("restored.db");
        var backup = temp.File("backup.db");
        var readerTime = new ManualTime();
        using var reader = LiteDbStore.OpenFile(path, timeProvider: readerTime);
        using var writer = LiteDbStore.OpenFile(path, timeProvider: new ManualTime());
        var warnings = new List<string>();
        reader.Warning += warnings.Add;
        writer.Warning += warnings.Add;
        SetRole(writer, Node, "Compute");
        SetRole(writer, "x1000c0s1b0n0", "Compute");
        File.Copy(path, backup);
        SetRole(writer, Node, "Service");
        Assert.Equal("Service", RoleOf(reader, Node));
        Assert.Equal("Service", RoleOf(reader, Node)); // from memory

        // Copied over the live file: the reader notices at its next check.
        File.Copy(backup, path, overwrite: true);
        readerTime.Advance(LiteDbStore.IdentityCheckInterval);
        Assert.Equal("Compute", RoleOf(reader, Node));
        Assert.Contains(warnings, w => w.Contains("is not the database its stamps last saw", StringComparison.Ordinal));

        // Restored again: the next write, in any process, finds it and drops every cache before it commits.
        SetRole(writer, Node, "Storage");
        Assert.Equal("Storage", RoleOf(reader, Node));
        Assert.Equal("Compute", RoleOf(reader, "x1000c0s1b0n0")); // now from memory
        File.Copy(backup, path, overwrite: true);
        SetRole(writer, "x1000c0s1b0n0", "Service");
        Assert.Equal("Compute", RoleOf(reader, Node));
        Assert.Equal("Service", RoleOf(reader, "x1000c0s1b0n0"));
    }

    [Fact]
    public void A_process_with_other_collections_cannot_share_the_stamps()
    {
        using var temp = new TempDirectory();
        var path = temp.File("layout.db");
        using var store = LiteDbStore.OpenFile(path);
        var ex = Assert.Throws<OpenChami.Core.Errors.ChamiException>(() => ChangeStamps.ForFile(path, StoreSchema.StampLayout + 1));
        Assert.Equal("DatabaseInUseByOtherVersion", ex.ErrorId);
        store.Dispose();
        using var alone = ChangeStamps.ForFile(path, StoreSchema.StampLayout + 1); // alone, it takes the file over
    }

    [Fact]
    public void Predicate_keys_carry_captured_values_and_refuse_unknown_shapes()
    {
        long nid = 1;
        var one = ExpressionKey.Of((System.Linq.Expressions.Expression<Func<Component, bool>>)(c => c.NID == nid));
        nid = 2;
        var two = ExpressionKey.Of((System.Linq.Expressions.Expression<Func<Component, bool>>)(c => c.NID == nid));
        Assert.NotNull(one);
        Assert.NotEqual(one, two);
        var id = "x1";
        var contains = ExpressionKey.Of((System.Linq.Expressions.Expression<Func<Group, bool>>)(g => g.Members.Ids.Contains(id)));
        Assert.Contains("s2:x1", contains);
        // A shape the key doesn't know (a conditional): not cached, still answered by the database.
        Assert.Null(ExpressionKey.Of((System.Linq.Expressions.Expression<Func<Component, bool>>)(c => c.Role == null ? c.NID == nid : c.NID == 0)));
    }
}
