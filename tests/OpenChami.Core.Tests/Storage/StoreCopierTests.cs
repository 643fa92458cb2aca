using System.Collections;
using System.Reflection;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

/// <summary>
/// Moving a site between backends loses nothing: every StoreSchema model, every property filled
/// (secrets and wire-hidden fields included), compared through LiteDB's own mapper.
/// </summary>
[Trait("Backend", TestStores.PostgresOnly)]
public sealed class StoreCopierTests
{
    private static readonly LiteDB.BsonMapper Mapper = StoreSchema.CreateMapper();

    public static TheoryData<string> CollectionNames => new(StoreSchema.Collections.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CollectionNames))]
    public void Every_model_round_trips_through_PostgreSQL_with_every_property(string collection)
    {
        var definition = StoreSchema.Collections.Single(c => c.Name == collection);
        typeof(StoreCopierTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(definition.DocumentType).Invoke(null, []);
    }

    private static void RoundTrip<T>() where T : class
    {
        var original = (T)Populated.Create(typeof(T), depth: 0)!;
        var expected = MapperJson(original);
        Assert.True(Mapper.ToDocument(typeof(T), original).Keys.Count >= 2, $"{typeof(T).Name} was not populated");
        using var store = TestStores.CreatePostgres();
        var id = StoreSchema.Get(typeof(T)).IdOf(original);
        store.Write(s => s.Collection<T>().Insert(original));
        var loaded = store.Read(s => s.Collection<T>().Get(id))!;
        Assert.Equal(expected, MapperJson(loaded));
    }

    [Fact]
    public void A_site_copied_from_LiteDB_to_PostgreSQL_and_back_is_identical_collection_by_collection()
    {
        using var source = LiteDbStore.OpenInMemory();
        source.Write(s =>
        {
            foreach (var definition in StoreSchema.Collections)
            {
                typeof(StoreCopierTests).GetMethod(nameof(Fill), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(definition.DocumentType).Invoke(null, [s]);
            }
            // Real derived data too: group members maintain group_memberships, every change is journaled.
            s.Collection<Group>().Upsert(new Group { Label = "compute" });
            s.Collection<GroupMember>().InsertMany(new[] { "x1000c0s0b0n0", "x1000c0s0b0n1" }.Select((id, i) =>
                new GroupMember { ID = GroupMember.KeyOf("compute", id), Label = "compute", Member = id, Order = i + 1 }));
        });
        using var postgres = TestStores.CreatePostgres();
        using var back = LiteDbStore.OpenInMemory();

        var there = StoreCopier.Copy(source, postgres);
        var again = StoreCopier.Copy(postgres, back);

        foreach (var definition in StoreSchema.Collections)
        {
            var expected = Snapshot(source, definition);
            Assert.True(expected.Count > 0, $"{definition.Name} is empty in the source");
            Assert.Equal(expected.Count, there.Collections[definition.Name]);
            Assert.Equal(expected.Count, again.Collections[definition.Name]);
            Assert.Equal(expected, Snapshot(postgres, definition));
            Assert.Equal(expected, Snapshot(back, definition));
        }
        Assert.Equal(source.Read(s => s.Collection<AuditEntry>().Count()), back.Read(s => s.Collection<AuditEntry>().Count()));
    }

    [Fact]
    public void A_non_empty_target_is_refused_unless_replace_is_asked_for()
    {
        using var source = LiteDbStore.OpenInMemory();
        source.Write(s => s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }));
        using var target = TestStores.CreatePostgres();
        target.Write(s => s.Collection<Component>().Insert(new Component { ID = "x9000c0s0b0n0", Type = HmsType.Node }));

        var ex = Assert.Throws<ChamiException>(() => StoreCopier.Copy(source, target));
        Assert.Equal("TargetNotEmpty", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.Conflict, ex.Kind);
        Assert.Equal(["x9000c0s0b0n0"], target.Read(s => s.Collection<Component>().All()).Select(c => c.ID));

        var result = StoreCopier.Copy(source, target, replace: true);
        Assert.Equal(1, result.Collections["components"]);
        Assert.Equal(["x1000c0s0b0n0"], target.Read(s => s.Collection<Component>().All()).Select(c => c.ID));
        // The copy is the history: the source's one journal entry, nothing written by the copy itself.
        Assert.Equal(["x1000c0s0b0n0"], target.Read(s => s.Collection<AuditEntry>().All()).Select(a => a.Target));
    }

    private static void Fill<T>(IStoreSession session) where T : class =>
        ((IVerbatimCollection)session.Collection<T>()).InsertVerbatim(
            Enumerable.Range(0, 3).Select(i => Populated.Create(typeof(T), 0, suffix: $"-{i}")!).ToList());

    private static List<string> Snapshot(IChamiStore store, CollectionDefinition definition) =>
        store.Read(s => ((IVerbatimCollection)typeof(IStoreSession).GetMethod(nameof(IStoreSession.Collection))!
                .MakeGenericMethod(definition.DocumentType).Invoke(s, null)!).AllDocuments())
            .Select(MapperJson).Order(StringComparer.Ordinal).ToList();

    private static string MapperJson(object document) => LiteDB.JsonSerializer.Serialize(Mapper.ToDocument(document.GetType(), document));

    /// <summary>An instance with every settable property set to a non-default value, recursively.</summary>
    private static class Populated
    {
        private static readonly DateTime Time = new DateTime(2026, 11, 26, 8, 30, 15, DateTimeKind.Utc).AddTicks(1234560);

        public static object? Create(Type type, int depth, string suffix = "")
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (underlying == typeof(string)) return "v" + suffix;
            if (underlying.IsEnum) return Enum.GetValues(underlying).Cast<object>().Last();
            if (underlying == typeof(bool)) return true;
            if (underlying == typeof(int)) return 7;
            if (underlying == typeof(long)) return 7_000_000_000L;
            if (underlying == typeof(double)) return 1.5;
            if (underlying == typeof(decimal)) return 2.25m;
            if (underlying == typeof(DateTime)) return Time;
            if (underlying == typeof(TimeSpan)) return TimeSpan.FromSeconds(3);
            if (underlying == typeof(Guid)) return new Guid("6f1c4d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f");
            if (underlying == typeof(byte[])) return new byte[] { 1, 2, 3 };
            if (depth > 4 || underlying == typeof(object)) return null;
            if (underlying.IsArray)
            {
                var array = Array.CreateInstance(underlying.GetElementType()!, 1);
                array.SetValue(Create(underlying.GetElementType()!, depth + 1, suffix), 0);
                return array;
            }
            if (underlying.IsGenericType && underlying.GetGenericArguments() is [var key, var value] && typeof(IDictionary).IsAssignableFrom(Concrete(underlying)))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(Concrete(underlying))!;
                dictionary[Create(key, depth + 1, suffix)!] = Create(value, depth + 1, suffix);
                return dictionary;
            }
            if (underlying.IsGenericType && underlying.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(underlying))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                list.Add(Create(element, depth + 1, suffix));
                return list;
            }
            if (underlying.GetConstructor(Type.EmptyTypes) is null) return null;
            var instance = Activator.CreateInstance(underlying)!;
            foreach (var property in underlying.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.SetMethod is null || property.GetIndexParameters().Length > 0) continue;
                var filled = Create(property.PropertyType, depth + 1, suffix);
                if (filled is not null && property.PropertyType.IsInstanceOfType(filled)) property.SetValue(instance, filled);
            }
            return instance;
        }

        private static Type Concrete(Type type) => type.IsInterface ? typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()) : type;
    }
}
